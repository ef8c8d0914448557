package io.bucketload.aws;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceFactory;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.SourceSpec;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens {@code s3://bucket/prefix/} sources. Settings: {@code region}, {@code endpoint} (an
 * S3-compatible store) and {@code path_style} ({@code true} for stores that need bucket names in
 * the path), besides the common {@code rejected}, {@code failed} and {@code output} keys. What
 * bucketload writes back goes beside the files, or under {@code source.output} (another {@code
 * s3://} prefix, reached with the same settings).
 */
public final class S3SourceFactory implements SourceFactory {
  static final Set<String> KEYS = keys();

  private static Set<String> keys() {
    Set<String> keys = new HashSet<>(Sources.COMMON_KEYS);
    keys.addAll(Set.of("region", "endpoint", "path_style"));
    return Set.copyOf(keys);
  }

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public Source open(SourceSpec spec) {
    Settings settings = spec.settings();
    settings.allowOnly(KEYS);
    S3Location location;
    try {
      location = S3Location.parse(spec.path());
    } catch (ConfigException e) {
      throw new ConfigException("source.path: " + e.getMessage(), e);
    }
    return new S3Source(client(settings), location, spec.match());
  }

  @Override
  public OutputStore outputs(String location, SourceSpec spec) {
    Settings settings = spec.settings();
    settings.allowOnly(KEYS);
    S3Location root;
    try {
      root = S3Location.parse(location);
    } catch (ConfigException e) {
      throw new ConfigException(
          (spec.output().isPresent() ? "source.output: " : "source.path: ") + e.getMessage(), e);
    }
    return new S3Outputs(client(settings), root);
  }

  /**
   * A client of the source's store, with its {@code region}, {@code endpoint} and {@code
   * path_style}. Bucket names go in the path by default when the endpoint ({@code endpoint}, or the
   * SDK's {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}) is a loopback name or an IP
   * address, which cannot take a bucket as a subdomain.
   */
  public static S3Client client(Settings settings) {
    boolean pathStyle = settings.flag("path_style", addressedByIp(settings));
    return AwsClients.configure(S3Client.builder(), settings).forcePathStyle(pathStyle).build();
  }

  private static boolean addressedByIp(Settings settings) {
    String endpoint =
        settings
            .get("endpoint")
            .or(() -> Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL_S3")))
            .or(() -> Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")))
            .orElse("");
    try {
      String host = java.net.URI.create(endpoint.trim()).getHost();
      return host != null
          && (host.equals("localhost")
              || host.matches("\\d{1,3}(\\.\\d{1,3}){3}")
              || host.startsWith("["));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
