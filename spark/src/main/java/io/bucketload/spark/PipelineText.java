package io.bucketload.spark;

import io.bucketload.aws.S3SourceFactory;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.spec.Settings;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A pipeline file as the driver read it, to be read again on an executor with the executor's
 * environment for its {@code ${VARIABLES}} (secrets never travel with the task).
 *
 * @param text the file's content
 * @param file its path or name, for messages
 * @param baseDirectory what relative paths in it are relative to
 */
record PipelineText(String text, String file, String baseDirectory) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The pipeline file at {@code location}: a path, or an {@code s3://bucket/key} URI read with the
   * AWS SDK's default credentials and region ({@code AWS_ENDPOINT_URL_S3} names another store). A
   * local file's relative paths are relative to its folder, an object's to the current directory.
   *
   * @throws ConfigException naming the file when it cannot be read
   */
  static PipelineText load(String location) {
    if (!location.startsWith("s3://")) {
      Path file = Path.of(location).toAbsolutePath().normalize();
      try {
        return new PipelineText(
            Files.readString(file, StandardCharsets.UTF_8),
            file.toString(),
            file.getParent().toString());
      } catch (NoSuchFileException e) {
        throw new ConfigException(location + ": no such pipeline file");
      } catch (IOException e) {
        throw new ConfigException(location + ": cannot read the pipeline file: " + e.getMessage());
      }
    }
    URI uri = URI.create(location);
    String bucket = uri.getHost();
    String key = uri.getPath().replaceFirst("^/", "");
    if (bucket == null || key.isEmpty()) {
      throw new ConfigException(location + ": expected s3://bucket/key of a pipeline file");
    }
    Path here = Path.of("").toAbsolutePath();
    try (S3Client s3 = S3SourceFactory.client(Settings.none("pipeline", location, here))) {
      String text =
          s3.getObjectAsBytes(request -> request.bucket(bucket).key(key))
              .asString(StandardCharsets.UTF_8);
      return new PipelineText(text, Path.of(key).getFileName().toString(), here.toString());
    } catch (SdkException e) {
      throw new ConfigException(location + ": cannot read the pipeline file: " + e.getMessage());
    }
  }

  /**
   * Reads and checks the pipeline.
   *
   * @throws io.bucketload.core.error.ConfigException naming what is wrong
   */
  PipelineSpec read() {
    return PipelineSetup.check(
        new PipelineSpecReader()
            .read(new StringReader(text), Path.of(file), Path.of(baseDirectory)));
  }
}
