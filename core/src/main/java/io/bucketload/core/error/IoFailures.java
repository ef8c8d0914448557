package io.bucketload.core.error;

import java.io.IOException;
import java.net.ConnectException;

/** Why an I/O operation failed, for people, where the exception says little. */
public final class IoFailures {
  private IoFailures() {}

  /**
   * The first message in the exception's causes, or what its type says when none has one (Java's
   * HTTP client reports a refused connection as a {@code ConnectException} without a message).
   */
  public static String reason(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        return cause.getMessage();
      }
      if (cause instanceof ConnectException) {
        return "connection refused";
      }
    }
    return e.getClass().getSimpleName();
  }
}
