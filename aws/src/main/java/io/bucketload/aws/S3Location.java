package io.bucketload.aws;

import io.bucketload.core.error.ConfigException;
import java.util.Objects;

/**
 * A bucket and a key prefix, from {@code s3://bucket/prefix/}. The prefix is empty or ends with
 * {@code /}.
 *
 * @param bucket the bucket's name
 * @param prefix the key prefix
 */
public record S3Location(String bucket, String prefix) {
  /** Checks the fields. */
  public S3Location {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
  }

  /**
   * Parses {@code s3://bucket}, {@code s3://bucket/prefix} or {@code s3://bucket/prefix/}.
   *
   * @throws ConfigException when it is not such a URI
   */
  public static S3Location parse(String uri) {
    if (!uri.startsWith("s3://")) {
      throw new ConfigException("expected s3://bucket/prefix/, found '" + uri + "'");
    }
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1);
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(
          "'" + bucket + "' is not a bucket name (3-63 lowercase letters, digits, '.', '-')");
    }
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    return new S3Location(bucket, prefix);
  }

  /** The full key of a key relative to the prefix. */
  public String keyOf(String relative) {
    return prefix + relative;
  }

  /** The URI of a full key, for people. */
  public String uriOf(String fullKey) {
    return "s3://" + bucket + "/" + fullKey;
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }
}
