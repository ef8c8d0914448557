package io.bucketload.aws;

import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Streams one version of an object, or a range of its bytes. When the connection breaks mid-object,
 * reading resumes from the same byte with a ranged request for the same version (version id, else
 * {@code If-Match} on the ETag), up to {@link #RESUMES} times in a row; a replaced object fails
 * instead of mixing versions.
 */
final class S3ObjectStream extends InputStream {
  static final int RESUMES = 5;
  private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStream.class);

  private final S3Client client;
  private final String bucket;
  private final String key;
  private final S3Version version;
  private final String uri;

  /** The byte after the last one read, or -1 for the object's end. */
  private final long end;

  private ResponseInputStream<GetObjectResponse> current;
  private long position;
  private int resumes;
  private boolean closed;
  private boolean drained;

  S3ObjectStream(S3Client client, String bucket, String key, S3Version version, String uri)
      throws IOException {
    this(client, bucket, key, version, uri, 0, -1);
  }

  /** Streams bytes {@code [start, end)} of the version ({@code end} -1: to the object's end). */
  S3ObjectStream(
      S3Client client,
      String bucket,
      String key,
      S3Version version,
      String uri,
      long start,
      long end)
      throws IOException {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    this.version = version;
    this.uri = uri;
    this.end = end;
    this.position = start;
    this.current = request(start);
  }

  private ResponseInputStream<GetObjectResponse> request(long from) throws IOException {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
    if (version.versionId().isPresent()) {
      request.versionId(version.versionId().get());
    } else if (!version.etag().isEmpty()) {
      request.ifMatch("\"" + version.etag() + "\"");
    }
    if (end >= 0) {
      request.range("bytes=" + from + "-" + (end - 1));
    } else if (from > 0) {
      request.range("bytes=" + from + "-");
    }
    try {
      return client.getObject(request.build());
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        throw new IOException(uri + " was replaced while it loaded; its new version loads next");
      }
      throw new IOException(S3Errors.describe("cannot read " + uri, e), e);
    } catch (SdkException e) {
      throw new IOException(S3Errors.describe("cannot read " + uri, e), e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (end >= 0 && position >= end) {
      // The range is read: never ask the store for bytes past it (a resume here would be an
      // empty range, which S3 answers with the whole object).
      drained = true;
      return -1;
    }
    while (true) {
      try {
        int n =
            current.read(
                buffer, offset, end >= 0 ? (int) Math.min(length, end - position) : length);
        if (n > 0) {
          position += n;
          resumes = 0; // a connection that broke and came back counts against the budget once
        } else if (n < 0) {
          drained = true;
        }
        return n;
      } catch (IOException | SdkException e) {
        if (resumes >= RESUMES) {
          throw e instanceof IOException io
              ? io
              : new IOException("cannot read " + uri + ": " + e.getMessage(), e);
        }
        resumes++;
        LOG.warn("{}: connection lost at byte {}, resuming ({}): {}", uri, position, resumes, e);
        current.abort();
        current = request(position);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      if (!drained) {
        // Stop the transfer rather than read the rest; a drained connection is reused.
        current.abort();
      }
      current.close();
    }
  }
}
