package io.bucketload.core.source;

import java.util.Objects;

/**
 * An object (file) in a source.
 *
 * @param key its key: the path relative to the source folder with {@code /} separators, or the
 *     object key in a bucket; absolute for a local file outside the source folder
 * @param location where it is, for people (a path or a URI)
 * @param size its size in bytes
 */
public record SourceObject(String key, String location, long size) {
  /** Checks the fields. */
  public SourceObject {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(location, "location");
  }

  /** The object's name without folders. */
  public String name() {
    int slash = key.lastIndexOf('/');
    return slash < 0 ? key : key.substring(slash + 1);
  }
}
