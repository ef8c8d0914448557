package io.bucketload.aws.sqs;

import java.util.Objects;

/**
 * An object that was created, as an event names it.
 *
 * @param bucket the bucket
 * @param key the object key, URL-decoded
 */
public record ObjectEvent(String bucket, String key) {
  /** Checks the fields. */
  public ObjectEvent {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
  }

  /** The object's URI. */
  public String uri() {
    return "s3://" + bucket + "/" + key;
  }
}
