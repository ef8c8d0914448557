package io.bucketload.aws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Writes an object of unknown size with bounded memory: one {@code PutObject} when it stays under
 * one part, else a multipart upload of 8 MiB parts. The object appears when the stream closes; an
 * upload that fails is aborted, leaving nothing behind. Not thread-safe.
 */
final class S3MultipartOutputStream extends OutputStream {
  static final int PART_SIZE = 8 << 20;

  private final S3Client client;
  private final String bucket;
  private final String key;
  private final List<CompletedPart> parts = new ArrayList<>();
  private ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
  private String uploadId;
  private boolean closed;

  S3MultipartOutputStream(S3Client client, String bucket, String key) {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
  }

  @Override
  public void write(int b) throws IOException {
    buffer.write(b);
    flushFullPart();
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    buffer.write(bytes, offset, length);
    flushFullPart();
  }

  private void flushFullPart() throws IOException {
    if (buffer.size() >= PART_SIZE) {
      uploadPart();
    }
  }

  private void uploadPart() throws IOException {
    try {
      if (uploadId == null) {
        uploadId =
            client.createMultipartUpload(request -> request.bucket(bucket).key(key)).uploadId();
      }
      int number = parts.size() + 1;
      String etag =
          client
              .uploadPart(
                  request -> request.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                  RequestBody.fromBytes(buffer.toByteArray()))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      buffer = new ByteArrayOutputStream(1 << 16);
    } catch (SdkException e) {
      abort();
      throw new IOException(S3Errors.describe("cannot write s3://" + bucket + "/" + key, e), e);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (uploadId == null) {
        client.putObject(
            request -> request.bucket(bucket).key(key).contentType("text/csv"),
            RequestBody.fromBytes(buffer.toByteArray()));
        return;
      }
      if (buffer.size() > 0) {
        uploadPart();
      }
      client.completeMultipartUpload(
          request ->
              request
                  .bucket(bucket)
                  .key(key)
                  .uploadId(uploadId)
                  .multipartUpload(upload -> upload.parts(parts)));
    } catch (SdkException e) {
      abort();
      throw new IOException(S3Errors.describe("cannot write s3://" + bucket + "/" + key, e), e);
    } finally {
      buffer = new ByteArrayOutputStream(0);
    }
  }

  private void abort() {
    if (uploadId != null) {
      try {
        client.abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId));
      } catch (SdkException ignored) {
        // The bucket's lifecycle rule for incomplete uploads removes what is left.
      }
      uploadId = null;
    }
  }
}
