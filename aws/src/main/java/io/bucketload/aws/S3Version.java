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
}
