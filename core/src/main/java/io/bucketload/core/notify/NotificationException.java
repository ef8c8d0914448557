package io.bucketload.core.notify;

import io.bucketload.core.error.BucketloadException;
import io.bucketload.core.error.Fault;

/** A notification could not be delivered. A system failure, which never fails the run itself. */
public final class NotificationException extends BucketloadException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; the message names the channel and why. */
  public NotificationException(String message, Throwable cause) {
    super(Fault.SYSTEM, message, cause);
  }
}
