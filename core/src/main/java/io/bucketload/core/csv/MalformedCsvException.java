package io.bucketload.core.csv;

import io.bucketload.core.error.BucketloadException;
import io.bucketload.core.error.Fault;

/**
 * The file cannot be read as CSV past a point: an unterminated quote, a field over the size limit,
 * bytes that are not valid in the declared encoding, a truncated or corrupt gzip stream. Always a
 * {@link Fault#DATA} failure. The message names the file and line.
 */
public final class MalformedCsvException extends BucketloadException {
  private static final long serialVersionUID = 1L;

  private final long line;

  /** Creates the error; {@code message} is complete, {@code line} is where the problem starts. */
  public MalformedCsvException(String message, long line, Throwable cause) {
    super(Fault.DATA, message, cause);
    this.line = line;
  }

  /** The line where the problem starts. */
  public long line() {
    return line;
  }
}
