package io.bucketload.core.notify;

import java.util.Objects;
import java.util.Optional;

/**
 * What became of one notification of a run.
 *
 * @param channel the channel, as {@link Notifier#describe()} names it (no secret in it)
 * @param delivered whether it was delivered (after its retries)
 * @param error why it was not, with secrets masked
 */
public record Delivered(String channel, boolean delivered, Optional<String> error) {
  /** Checks the fields. */
  public Delivered {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(error, "error");
  }
}
