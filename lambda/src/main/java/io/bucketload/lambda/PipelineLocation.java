package io.bucketload.lambda;

import io.bucketload.aws.AwsClients;
import io.bucketload.aws.S3Location;
import io.bucketload.core.error.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Where the function's pipeline file is: {@code BUCKETLOAD_PIPELINE} names an {@code s3://} URI or
 * a path; without it, {@code pipeline.yaml} at the root of the package. A file from S3 or the
 * package is copied to {@code /tmp} (or {@code BUCKETLOAD_WORK_DIR}) once per container.
 */
final class PipelineLocation {
  static final String VARIABLE = "BUCKETLOAD_PIPELINE";
  static final String PACKAGED = "pipeline.yaml";

  private PipelineLocation() {}

  /**
   * The pipeline file, fetched when needed.
   *
   * @param environment the function's environment variables
   * @throws ConfigException when the pipeline cannot be found or fetched
   */
  static Path resolve(Map<String, String> environment) {
    String named = environment.getOrDefault(VARIABLE, "").trim();
    Path work = Path.of(environment.getOrDefault("BUCKETLOAD_WORK_DIR", "/tmp/bucketload"));
    try {
      Files.createDirectories(work);
      Path file = work.resolve("pipeline.yaml");
      if (named.startsWith("s3://")) {
        fetch(
            S3Location.parse(named.substring(0, named.lastIndexOf('/') + 1)),
            named,
            file,
            environment);
        return file;
      }
      if (!named.isEmpty()) {
        return Path.of(named);
      }
      try (InputStream packaged =
          PipelineLocation.class.getClassLoader().getResourceAsStream(PACKAGED)) {
        if (packaged == null) {
          throw new ConfigException(
              "no pipeline: set "
                  + VARIABLE
                  + " to an s3:// URI or a path, or put "
                  + PACKAGED
                  + " at the root of the function's package");
        }
        Files.copy(packaged, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return file;
    } catch (IOException e) {
      throw new ConfigException("cannot prepare the pipeline file: " + e.getMessage(), e);
    }
  }

  private static void fetch(
      S3Location folder, String uri, Path file, Map<String, String> environment) {
    String key = uri.substring(("s3://" + folder.bucket() + "/").length());
    S3ClientBuilder builder = S3Client.builder().httpClient(AwsClients.httpClient());
    String endpoint = environment.getOrDefault("AWS_ENDPOINT_URL_S3", "");
    if (!endpoint.isEmpty()) {
      builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
    }
    try (S3Client client = builder.build()) {
      client.getObject(
          request -> request.bucket(folder.bucket()).key(key),
          software.amazon.awssdk.core.sync.ResponseTransformer.toFile(tempBeside(file)));
      Files.move(tempBeside(file), file, StandardCopyOption.REPLACE_EXISTING);
    } catch (RuntimeException | IOException e) {
      throw new ConfigException("cannot read the pipeline " + uri + ": " + e.getMessage(), e);
    }
  }

  private static Path tempBeside(Path file) {
    return file.resolveSibling(file.getFileName() + ".download");
  }
}
