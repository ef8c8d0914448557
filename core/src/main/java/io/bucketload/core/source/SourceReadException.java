package io.bucketload.core.source;

import java.io.IOException;

/**
 * The bytes of an object could not be read from where they are (a network or disk failure): a
 * system failure, unlike a stream that reads but does not decode (a truncated gzip file), which is
 * the file's fault. {@link SourceStreams#guarded} marks every failure of a source's stream this way
 * so that readers further along can tell the two apart.
 */
public class SourceReadException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Wraps the failure of a source's stream. */
  public SourceReadException(String message, IOException cause) {
    super(message, cause);
  }
}
