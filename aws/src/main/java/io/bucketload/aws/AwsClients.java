package io.bucketload.aws;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Builds AWS clients from a section's {@code region} and {@code endpoint} settings. Credentials
 * always come from the default chain (environment, profile, container or instance role), never from
 * the pipeline file.
 */
public final class AwsClients {
  /** The region used with an {@code endpoint} and no region anywhere: local servers ignore it. */
  static final Region ENDPOINT_DEFAULT_REGION = Region.US_EAST_1;

  private AwsClients() {}

  /**
   * Configures a client builder: the HTTP client, the region ({@code region} setting, else the
   * default chain) and the {@code endpoint} override.
   *
   * @throws ConfigException when the endpoint is not a URI, or no region is set anywhere
   */
  public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, Settings settings) {
    Optional<URI> endpoint = endpoint(settings);
    builder.httpClient(httpClient());
    builder.region(region(settings, endpoint.isPresent()));
    endpoint.ifPresent(builder::endpointOverride);
    return builder;
  }

  /** The shared HTTP client settings: the JDK's URL connection, bounded timeouts. */
  static SdkHttpClient httpClient() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(10))
        .socketTimeout(Duration.ofSeconds(60))
        .build();
  }

  private static Optional<URI> endpoint(Settings settings) {
    Optional<String> text = settings.get("endpoint").map(String::trim);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text.get());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw settings.error("endpoint", "expected a URL such as http://127.0.0.1:9000");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw settings.error("endpoint", "not a URL: " + e.getMessage());
    }
  }

  private static Region region(Settings settings, boolean hasEndpoint) {
    Optional<String> configured = settings.get("region").map(String::trim);
    if (configured.isPresent()) {
      if (!configured.get().matches("[a-z0-9-]{3,40}")) {
        throw settings.error("region", "not a region name: '" + configured.get() + "'");
      }
      return Region.of(configured.get());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      if (hasEndpoint) {
        return ENDPOINT_DEFAULT_REGION;
      }
      throw settings.error(
          "region", "no region: set it here, or AWS_REGION, or a region in the AWS profile");
    }
  }
}
