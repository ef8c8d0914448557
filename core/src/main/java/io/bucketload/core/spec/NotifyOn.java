package io.bucketload.core.spec;

import java.util.Locale;
import java.util.Optional;

/** Which runs a notification channel is told of ({@code notify[].on}). */
public enum NotifyOn {
  /** No file failed, and some loaded. */
  SUCCESS,
  /** A file failed (a failure already reported for the same version is not told again). */
  FAILURE,
  /** A file loaded with rejected rows. */
  REJECTS,
  /** Every run, also one that only skipped files. */
  ALWAYS;

  /** The name in a pipeline file, e.g. {@code failure}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value a pipeline file names, if it is one. */
  public static Optional<NotifyOn> of(String key) {
    for (NotifyOn value : values()) {
      if (value.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
