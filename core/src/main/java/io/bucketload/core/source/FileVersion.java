package io.bucketload.core.source;

import java.util.Objects;

/**
 * One version of an object: the identity the ledger loads exactly once.
 *
 * @param key the object's key
 * @param size its size in bytes
 * @param checksum what identifies its content: {@code sha256:<hex>} for local files; a version id
 *     or ETag for object stores
 */
public record FileVersion(String key, long size, String checksum) {
  /** Checks the fields. */
  public FileVersion {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(checksum, "checksum");
  }
}
