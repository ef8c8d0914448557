package io.bucketload.aws;

import io.bucketload.core.source.FileBytes;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One version of an S3 object read by ranges: each {@link #open} is a ranged {@code GET} pinned to
 * the version (its version id, else {@code If-Match} on its ETag), resumed where a broken
 * connection left it. What lets an object be cut into parts that executors read apart.
 */
final class S3ObjectBytes implements FileBytes {
  private final S3Client client;
  private final String bucket;
  private final String key;
  private final S3Version version;
  private final long size;
  private final String uri;

  S3ObjectBytes(
      S3Client client, String bucket, String key, S3Version version, long size, String uri) {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    this.version = version;
    this.size = size;
    this.uri = uri;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public InputStream open(long start, long end) throws IOException {
    if (start >= end) {
      return InputStream.nullInputStream();
    }
    return new S3ObjectStream(client, bucket, key, version, uri, start, end);
  }

  @Override
  public boolean local() {
    return false;
  }

  @Override
  public String pin() {
    return version.pin();
  }

  @Override
  public String describe() {
    return uri;
  }
}
