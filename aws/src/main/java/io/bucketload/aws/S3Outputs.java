package io.bucketload.aws;

import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceObject;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A bucket prefix as the {@link OutputStore}: files are written as multipart uploads that become
 * visible when their stream closes; copies of an S3 source's objects are made on the server side,
 * from the version that was read. Thread-safe.
 */
public final class S3Outputs implements OutputStore {
  private final S3Client client;
  private final S3Location location;

  /**
   * Creates the store.
   *
   * @param client the S3 client; closed with the store
   * @param location the bucket and prefix paths are relative to
   */
  public S3Outputs(S3Client client, S3Location location) {
    this.client = client;
    this.location = location;
  }

  @Override
  public String describe() {
    return location.toString();
  }

  @Override
  public Output create(String path) {
    String key = location.keyOf(path);
    return new Output(
        new S3MultipartOutputStream(client, location.bucket(), key), location.uriOf(key));
  }

  @Override
  public Optional<Stored> open(String path) throws IOException {
    String key = location.keyOf(path);
    try {
      ResponseInputStream<GetObjectResponse> object =
          client.getObject(request -> request.bucket(location.bucket()).key(key));
      return Optional.of(new Stored(object, object.response().lastModified()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new IOException(S3Errors.describe("cannot read " + location.uriOf(key), e), e);
    }
  }

  @Override
  public boolean delete(String path) throws IOException {
    String key = location.keyOf(path);
    try {
      client.headObject(request -> request.bucket(location.bucket()).key(key));
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new IOException(S3Errors.describe("cannot read " + location.uriOf(key), e), e);
    } catch (SdkException e) {
      throw new IOException(S3Errors.describe("cannot read " + location.uriOf(key), e), e);
    }
    try {
      client.deleteObject(request -> request.bucket(location.bucket()).key(key));
      return true;
    } catch (SdkException e) {
      throw new IOException(S3Errors.describe("cannot delete " + location.uriOf(key), e), e);
    }
  }

  /** {@inheritDoc} From an S3 source, the copy is made on the server side. */
  @Override
  public String copy(Source source, SourceObject object, String path) throws IOException {
    if (source instanceof S3Source s3) {
      String key = location.keyOf(path);
      s3.copyTo(client, object, location.bucket(), key);
      return location.uriOf(key);
    }
    return OutputStore.super.copy(source, object, path);
  }

  /** {@inheritDoc} Closes the S3 client. */
  @Override
  public void close() {
    client.close();
  }
}
