package io.bucketload.core.error;

/** Base of the errors bucketload raises on purpose; each one carries its {@link Fault}. */
public abstract class BucketloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Fault fault;

  /**
   * Creates an error.
   *
   * @param fault whose fault it is, never null
   * @param message a message for the user, naming what and where
   * @param cause the underlying cause, may be null
   */
  protected BucketloadException(Fault fault, String message, Throwable cause) {
    super(message, cause);
    this.fault = fault;
  }

  /** Returns whose fault this failure is. */
  public Fault fault() {
    return fault;
  }
}
