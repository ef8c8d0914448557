package io.bucketload.core.source;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An object (file) in a source.
 *
 * @param key its key: the path relative to the source folder with {@code /} separators, or the
 *     object key in a bucket; absolute for a local file outside the source folder
 * @param location where it is, for people (a path or a URI)
 * @param size its size in bytes
 * @param modified when it last changed, where the source knows it: what {@code source.settle}
 *     measures
 */
public record SourceObject(String key, String location, long size, Optional<Instant> modified) {
  /** Checks the fields. */
  public SourceObject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(modified, "modified");
  }

  /** An object whose modification time the source does not tell. */
  public SourceObject(String key, String location, long size) {
    this(key, location, size, Optional.empty());
  }

  /** The object's name without folders. */
  public String name() {
    int slash = key.lastIndexOf('/');
    return slash < 0 ? key : key.substring(slash + 1);
  }
}
