package io.bucketload.aws.provision;

import io.bucketload.aws.S3SourceFactory;
import io.bucketload.aws.provision.PipelineResources.Bucket;
import io.bucketload.core.error.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Puts files under a pipeline's source prefix, so that the bucket's event notification starts their
 * load. Each file is sent with a SHA-256 checksum the store verifies (per part, for a file sent in
 * parts); a file of {@link #PART_BYTES} or more goes in parts, aborted when one fails.
 */
public final class Uploader implements AutoCloseable {
  /** Files this size or larger are sent in parts of this size (the last one smaller). */
  public static final int PART_BYTES = 16 * 1024 * 1024;

  private final Bucket bucket;
  private final io.bucketload.core.spec.NamePattern match;
  private final S3Client s3;
  private final int partBytes;

  /**
   * An uploader to the pipeline's source.
   *
   * @throws ConfigException when the pipeline's source is not an S3 prefix
   */
  public Uploader(PipelineResources resources) {
    this(resources, PART_BYTES);
  }

  /** An uploader with another part size (at least 5 MiB, S3's least part but the last). */
  Uploader(PipelineResources resources, int partBytes) {
    this.bucket =
        resources
            .bucket()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "upload puts files in the pipeline's bucket; its source.path is not an"
                            + " s3:// prefix"));
    this.match = io.bucketload.core.spec.NamePattern.of(bucket.match());
    this.s3 = S3SourceFactory.client(bucket.settings());
    this.partBytes = partBytes;
  }

  /**
   * What one upload put.
   *
   * @param file the local file
   * @param uri where it went, {@code s3://bucket/key}
   * @param bytes its size
   * @param parts how many parts it was sent in (1 for a single request)
   * @param versionId the version the store gave it, if versioned
   */
  public record Uploaded(Path file, String uri, long bytes, int parts, String versionId) {}

  /**
   * Uploads a file as {@code prefix + its name}.
   *
   * @throws IOException when the file cannot be read
   */
  public Uploaded upload(Path file) throws IOException {
    String name = String.valueOf(file.getFileName());
    if (!match.matches(name)) {
      throw new ConfigException(
          file
              + ": its name does not match source.match '"
              + match.glob()
              + "', so its event would start no load; rename it or change the match");
    }
    String key = bucket.prefix() + name;
    long size = Files.size(file);
    String uri = "s3://" + bucket.name() + "/" + key;
    if (size < partBytes) {
      String version =
          s3.putObject(
                  r -> r.bucket(bucket.name()).key(key).checksumAlgorithm(ChecksumAlgorithm.SHA256),
                  RequestBody.fromFile(file))
              .versionId();
      return new Uploaded(file, uri, size, 1, version);
    }
    String uploadId =
        s3.createMultipartUpload(
                r -> r.bucket(bucket.name()).key(key).checksumAlgorithm(ChecksumAlgorithm.SHA256))
            .uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[partBytes];
      for (int number = 1; ; number++) {
        int filled = in.readNBytes(buffer, 0, buffer.length);
        if (filled == 0) {
          break;
        }
        int part = number;
        var sent =
            s3.uploadPart(
                r ->
                    r.bucket(bucket.name())
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(part)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, filled)));
        parts.add(
            CompletedPart.builder()
                .partNumber(part)
                .eTag(sent.eTag())
                .checksumSHA256(sent.checksumSHA256())
                .build());
      }
      String version =
          s3.completeMultipartUpload(
                  r ->
                      r.bucket(bucket.name())
                          .key(key)
                          .uploadId(uploadId)
                          .multipartUpload(m -> m.parts(parts)))
              .versionId();
      return new Uploaded(file, uri, size, parts.size(), version);
    } catch (IOException | RuntimeException e) {
      try {
        s3.abortMultipartUpload(r -> r.bucket(bucket.name()).key(key).uploadId(uploadId));
      } catch (RuntimeException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
