package io.bucketload.core.error;

/**
 * A file's content cannot be loaded as a whole: malformed CSV, a missing key column, a header that
 * cannot be used, or more rejects than allowed. The message names the file and, where it applies,
 * the line and column.
 */
public final class DataException extends BucketloadException {
  private static final long serialVersionUID = 1L;

  /** Creates a data error with a complete message. */
  public DataException(String message) {
    super(Fault.DATA, message, null);
  }

  /** Creates a data error with a complete message and its cause. */
  public DataException(String message, Throwable cause) {
    super(Fault.DATA, message, cause);
  }
}
