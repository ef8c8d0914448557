package io.bucketload.aws;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * The local AWS stand-ins the tests run against, each started once per JVM on 127.0.0.1: an
 * S3-compatible server (S3Proxy, in memory), DynamoDB Local (in memory) and an SQS-compatible
 * server (ElasticMQ). Credentials for the default chain come from system properties.
 */
public final class LocalAws {
  private static S3Proxy s3;
  private static URI dynamoDb;
  private static URI sqs;

  static {
    System.setProperty("aws.accessKeyId", "localTestKey");
    System.setProperty("aws.secretAccessKey", "localTestSecret");
    System.setProperty("aws.region", "us-east-1");
  }

  private LocalAws() {}

  /** The S3-compatible server's endpoint. */
  public static synchronized URI s3Endpoint() {
    if (s3 == null) {
      try {
        s3 =
            S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        s3.start();
        while (!s3.getState().equals("STARTED")) {
          Thread.onSpinWait();
        }
      } catch (Exception e) {
        throw new IllegalStateException("cannot start S3Proxy", e);
      }
    }
    return URI.create("http://127.0.0.1:" + s3.getPort());
  }

  /** DynamoDB Local's endpoint. */
  public static synchronized URI dynamoDbEndpoint() {
    if (dynamoDb == null) {
      int port = freePort();
      try {
        DynamoDBProxyServer server =
            ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        server.start();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start DynamoDB Local", e);
      }
      dynamoDb = URI.create("http://127.0.0.1:" + port);
    }
    return dynamoDb;
  }

  /** The SQS-compatible server's endpoint. */
  public static synchronized URI sqsEndpoint() {
    if (sqs == null) {
      SQSRestServer server =
          SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
      InetSocketAddress address = server.waitUntilStarted().localAddress();
      sqs = URI.create("http://127.0.0.1:" + address.getPort());
    }
    return sqs;
  }

  /** A client of the S3-compatible server. */
  public static S3Client s3() {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.US_EAST_1)
        .endpointOverride(s3Endpoint())
        .forcePathStyle(true)
        .build();
  }

  /** A client of DynamoDB Local. */
  public static DynamoDbClient dynamoDb() {
    return DynamoDbClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.US_EAST_1)
        .endpointOverride(dynamoDbEndpoint())
        .build();
  }

  /** A client of the SQS-compatible server. */
  public static SqsClient sqs() {
    return SqsClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.US_EAST_1)
        .endpointOverride(sqsEndpoint())
        .build();
  }

  /** A port free on 127.0.0.1 now (DynamoDB Local takes no port 0). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
