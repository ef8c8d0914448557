package io.bucketload.aws;

import java.util.Objects;
import java.util.Optional;

/**
 * One version of an object: its ETag, which identifies it in the ledger, and its version id in a
 * versioned bucket, which pins the read.
 *
 * @param versionId the version id, absent when the bucket is not versioned
 * @param etag the ETag, without quotes
 */
record S3Version(Optional<String> versionId, String etag) {
  S3Version {
    Objects.requireNonNull(versionId, "versionId");
    Objects.requireNonNull(etag, "etag");
  }

  static S3Version of(String versionId, String etag) {
    Optional<String> version =
        Optional.ofNullable(versionId).filter(id -> !id.isEmpty() && !id.equals("null"));
    return new S3Version(version, etag == null ? "" : etag.replace("\"", ""));
  }

  /**
   * The ledger identity, {@code etag:<etag>}: the content's, so that the same bytes uploaded again
   * (a new version in a versioned bucket) are the version already loaded. The version id only pins
   * the read.
   */
  String identity() {
    return "etag:" + etag;
  }

  /**
   * What another process needs to read this same version: the ETag, and the version id when there
   * is one ({@code etag:<etag>} or {@code etag:<etag>#<version id>}).
   */
  String pin() {
    return identity() + versionId.map(id -> "#" + id).orElse("");
  }

  /** The version a {@link #pin()} names. */
  static S3Version ofPin(String pin) {
    if (!pin.startsWith("etag:")) {
      throw new IllegalArgumentException("not an S3 version: " + pin);
    }
    String rest = pin.substring("etag:".length());
    int hash = rest.indexOf('#');
    return hash < 0
        ? new S3Version(Optional.empty(), rest)
        : new S3Version(Optional.of(rest.substring(hash + 1)), rest.substring(0, hash));
  }
}
