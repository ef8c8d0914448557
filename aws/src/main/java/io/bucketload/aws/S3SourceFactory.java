package io.bucketload.aws;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceFactory;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.SourceSpec;
import java.util.HashSet;
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
   * path_style}.
   */
  public static S3Client client(Settings settings) {
    boolean pathStyle = settings.flag("path_style", false);
    return AwsClients.configure(S3Client.builder(), settings).forcePathStyle(pathStyle).build();
  }
}
