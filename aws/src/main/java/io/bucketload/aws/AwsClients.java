package io.bucketload.aws;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
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
    return configure(builder, settings, overrides -> {});
  }

  /**
   * Configures a client builder as {@link #configure(AwsClientBuilder, Settings)} does, with more
   * of the client's override configuration (a retry strategy, say). Every client names its endpoint
   * in a failure to reach it ({@link EndpointNaming}) and says what to set when it finds no
   * credentials ({@link MissingCredentials}).
   *
   * @throws ConfigException when the endpoint is not a URI, or no region is set anywhere
   */
  public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder,
      Settings settings,
      java.util.function.Consumer<ClientOverrideConfiguration.Builder> overrides) {
    Optional<URI> endpoint = endpoint(settings);
    builder.overrideConfiguration(
        configuration -> {
          configuration.addExecutionInterceptor(new EndpointNaming());
          configuration.addExecutionInterceptor(new MissingCredentials());
          overrides.accept(configuration);
        });
    builder.httpClient(httpClient());
    builder.region(region(settings, endpoint.isPresent()));
    endpoint.ifPresent(builder::endpointOverride);
    return builder;
  }

  /**
   * The JDK system property that sets how many idle connections to one host the JDK's HTTP client
   * keeps open for reuse (its default is 5).
   */
  static final String KEPT_CONNECTIONS_PROPERTY = "http.maxConnections";

  /**
   * Idle connections kept per host unless {@value #KEPT_CONNECTIONS_PROPERTY} is set: as many as
   * the most write requests a DynamoDB target may have in flight ({@code max_concurrency} up to
   * 256). With the JDK's 5, a load with 16 requests in flight closed the connections of all but 5
   * whenever they were idle at once and opened new ones for the next requests: a TCP and, against
   * AWS, a TLS handshake each. Idle connections still close after the JDK's keep-alive time.
   */
  static final int KEPT_CONNECTIONS = 256;

  /**
   * The shared HTTP client settings: the JDK's URL connection, bounded timeouts, connections kept
   * for reuse ({@link #keepConnections()}).
   */
  public static SdkHttpClient httpClient() {
    keepConnections();
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(10))
        .socketTimeout(Duration.ofSeconds(60))
        .build();
  }

  /**
   * Sets {@value #KEPT_CONNECTIONS_PROPERTY} to {@value #KEPT_CONNECTIONS} unless it is set (a
   * user's {@code -Dhttp.maxConnections} wins). The JDK reads it once, when the process makes its
   * first HTTP connection, so this runs before any AWS client is built.
   */
  static void keepConnections() {
    if (System.getProperty(KEPT_CONNECTIONS_PROPERTY) == null) {
      System.setProperty(KEPT_CONNECTIONS_PROPERTY, Integer.toString(KEPT_CONNECTIONS));
    }
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
