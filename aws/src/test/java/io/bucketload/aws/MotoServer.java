package io.bucketload.aws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code moto_server} (Python moto, installed on every build machine) on a free loopback port, for
 * the AWS services the other stand-ins do not offer (SNS). Started once per test JVM, stopped when
 * it exits.
 */
public final class MotoServer {
  private static URI endpoint;

  private MotoServer() {}

  /** The server's endpoint, starting it on first use. */
  public static synchronized URI endpoint() {
    if (endpoint == null) {
      endpoint = start();
    }
    return endpoint;
  }

  /** Points a client builder at the server, with its test credentials and region. */
  public static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>>
      B configure(B builder) {
    return builder
        .endpointOverride(endpoint())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(
            software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                    "testing", "testing")));
  }

  /**
   * A new SQS queue of the server subscribed to an SNS topic of it, as a topic's subscriber would
   * be; returns the queue's URL.
   */
  public static String queueSubscribedTo(
      software.amazon.awssdk.services.sns.SnsClient sns,
      software.amazon.awssdk.services.sqs.SqsClient sqs,
      String topicArn) {
    String queue = sqs.createQueue(r -> r.queueName("status-" + System.nanoTime())).queueUrl();
    String queueArn =
        sqs.getQueueAttributes(
                r ->
                    r.queueUrl(queue)
                        .attributeNames(
                            software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN);
    sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
    return queue;
  }

  private static URI start() {
    int port = LocalAws.freePort();
    try {
      Path log = Files.createTempFile("moto", ".log");
      Process process =
          new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!answers(port)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("moto_server exited: " + Files.readString(log));
        }
        if (System.nanoTime() > deadline) {
          process.destroy();
          throw new IllegalStateException("moto_server did not answer within 60 s");
        }
        process.waitFor(100, TimeUnit.MILLISECONDS);
      }
      return URI.create("http://127.0.0.1:" + port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start moto_server (is Python moto installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting moto_server", e);
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
