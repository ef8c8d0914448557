package io.bucketload.core.transform;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * What computed columns may refer to about the file being loaded.
 *
 * @param key the object's key in its source
 * @param name the object's file name
 * @param loadStarted when the load of the file started, in UTC
 */
public record FileContext(String key, String name, LocalDateTime loadStarted) {
  /** Checks the fields. */
  public FileContext {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(loadStarted, "loadStarted");
  }
}
