package io.bucketload.aws;

import java.util.Objects;
import java.util.Optional;

/**
 * What identifies one version of an object: its version id in a versioned bucket, and its ETag.
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

  /** The ledger identity: {@code s3-version:<id>} or {@code etag:<etag>}. */
  String identity() {
    return versionId.map(id -> "s3-version:" + id).orElse("etag:" + etag);
  }
}
