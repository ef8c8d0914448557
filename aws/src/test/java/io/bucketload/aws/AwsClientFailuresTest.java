package io.bucketload.aws;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.bucketload.core.spec.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** What AWS clients say when a request gets no answer, or finds no credentials. */
class AwsClientFailuresTest {
  static {
    // The same test credentials as LocalAws: no request here reaches AWS.
    System.setProperty("aws.accessKeyId", "localTestKey");
    System.setProperty("aws.secretAccessKey", "localTestSecret");
  }

  private static Settings endpoint(String url) {
    return new Settings(
        "target",
        Map.of("endpoint", url, "region", "us-east-1"),
        Map.of(),
        "pipeline.yaml",
        Path.of("."));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aRefusedConnectionNamesTheEndpointAfterTheRetries() throws IOException {
    int port = closedPort();
    try (DynamoDbClient client =
        AwsClients.configure(DynamoDbClient.builder(), endpoint("http://127.0.0.1:" + port))
            .build()) {
      assertThatThrownBy(client::listTables)
          .isInstanceOf(SdkClientException.class)
          .hasMessageContaining("Connection refused")
          .hasMessageContaining("(endpoint http://127.0.0.1:" + port + ")")
          .hasMessageContaining("SDK Attempt Count");
    }
  }

  @Test
  void overridesOfTheCallerAreKeptBesideTheNaming() throws IOException {
    int port = closedPort();
    try (S3Client client =
        AwsClients.configure(
                S3Client.builder(),
                endpoint("http://127.0.0.1:" + port),
                overrides -> overrides.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .forcePathStyle(true)
            .build()) {
      assertThatThrownBy(() -> client.listObjectsV2(request -> request.bucket("landing")))
          .hasMessageContaining("(endpoint http://127.0.0.1:" + port + ")")
          .hasMessageContaining("SDK Attempt Count: 1)");
    }
  }

  @Test
  void anAnswerOfTheServiceIsLeftAsItIs() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              "<Error><Code>AccessDenied</Code><Message>no</Message></Error>"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(403, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try (S3Client client =
        AwsClients.configure(
                S3Client.builder(), endpoint("http://127.0.0.1:" + server.getAddress().getPort()))
            .forcePathStyle(true)
            .build()) {
      assertThatThrownBy(() -> client.listObjectsV2(request -> request.bucket("landing")))
          .isInstanceOf(SdkServiceException.class)
          .hasMessageContaining("no")
          .hasMessageNotContaining("(endpoint");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void noCredentialsAnywhereIsSaidInOneLineWithWhatToSet() throws IOException {
    int port = closedPort();
    String key = System.clearProperty("aws.accessKeyId");
    try (S3Client client =
        AwsClients.configure(
                S3Client.builder()
                    .credentialsProvider(
                        // A chain, as the default one is, that finds nothing on any machine.
                        software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain.of(
                            software.amazon.awssdk.auth.credentials
                                .SystemPropertyCredentialsProvider.create())),
                endpoint("http://127.0.0.1:" + port))
            .build()) {
      assertThatThrownBy(() -> client.listObjectsV2(request -> request.bucket("landing")))
          .isInstanceOf(SdkClientException.class)
          .hasMessage(MissingCredentials.MESSAGE)
          .hasRootCauseInstanceOf(SdkClientException.class);
    } finally {
      System.setProperty("aws.accessKeyId", key);
    }
  }
}
