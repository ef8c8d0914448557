package io.bucketload.core.csv;

import java.io.IOException;

/**
 * The file cannot be read as CSV past a point: an unterminated quote, a field over the size limit,
 * bytes that are not valid in the declared encoding. The message names the file and line.
 */
public final class MalformedCsvException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long line;

  /** Creates the error; {@code message} is complete, {@code line} is where the problem starts. */
  public MalformedCsvException(String message, long line, Throwable cause) {
    super(message, cause);
    this.line = line;
  }

  /** The line where the problem starts. */
  public long line() {
    return line;
  }
}
