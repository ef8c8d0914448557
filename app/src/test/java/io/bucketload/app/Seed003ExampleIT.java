package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.bucketload.aws.LocalAws;
import io.bucketload.aws.MotoServer;
import io.bucketload.core.source.SelfSignedTls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The example for seed 003, run as documented with its local lines switched on: two CSVs pulled
 * from an HTTPS server whose certificate is self-signed (trusted through {@code ca_file}), joined
 * by the sql step, only new days added to DynamoDB Local, and the counts published to an SNS topic
 * of {@code moto_server}, read back from a subscribed queue.
 */
class Seed003ExampleIT {
  private static final Path EXAMPLE =
      Path.of(System.getProperty("user.dir")).getParent().resolve("examples/seed-003-covid");

  @TempDir Path dir;
  private HttpsServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void theJoinLoadsNewDaysOnlyAndEachChangeIsPublishedWithItsCounts() throws Exception {
    Path files = Files.createDirectories(dir.resolve("www"));
    Files.copy(EXAMPLE.resolve("data/us.csv"), files.resolve("us.csv"));
    Files.copy(EXAMPLE.resolve("data/recovered.csv"), files.resolve("recovered.csv"));
    SelfSignedTls tls = SelfSignedTls.create(dir);
    String base = serve(tls, files);
    Path example = Files.createDirectories(dir.resolve("seed-003-covid"));
    Files.copy(tls.caFile(), example.resolve("ca.pem"));
    Files.writeString(
        example.resolve("pipeline.yaml"),
        Files.readString(EXAMPLE.resolve("pipeline.yaml"))
            .replace("# ca_file: ca.pem", "ca_file: ca.pem")
            .replace(
                "# endpoint: http://127.0.0.1:8000", "endpoint: " + LocalAws.dynamoDbEndpoint())
            .replace("# endpoint: http://127.0.0.1:5000", "endpoint: " + MotoServer.endpoint()));
    String table = "covid-us";
    try (SnsClient sns = MotoServer.configure(SnsClient.builder()).build();
        SqsClient sqs = MotoServer.configure(SqsClient.builder()).build();
        DynamoDbClient dynamo =
            DynamoDbClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(LocalAws.dynamoDbEndpoint())
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("localTestKey", "localTestSecret")))
                .build()) {
      if (dynamo.listTables().tableNames().contains(table)) {
        dynamo.deleteTable(r -> r.tableName(table));
      }
      String topic = sns.createTopic(r -> r.name("etl-status-" + System.nanoTime())).topicArn();
      String queue = MotoServer.queueSubscribedTo(sns, sqs, topic);
      Map<String, String> environment =
          Map.of(
              "US_URL",
              base + "/us.csv",
              "RECOVERED_URL",
              base + "/recovered.csv",
              "TOPIC_ARN",
              topic,
              "AWS_ACCESS_KEY_ID",
              "localTestKey",
              "AWS_SECRET_ACCESS_KEY",
              "localTestSecret",
              "AWS_REGION",
              "us-east-1");

      CliProcess.Result first = CliProcess.run(example, environment, "run", "pipeline.yaml");
      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      assertThat(first.out()).contains("2 loaded");
      List<Map<String, AttributeValue>> items = dynamo.scan(r -> r.tableName(table)).items();
      assertThat(items).hasSize(5);
      Map<String, AttributeValue> day =
          items.stream()
              .filter(item -> item.get("date").s().equals("2020-01-24"))
              .findFirst()
              .orElseThrow();
      assertThat(day.get("cases").n()).isEqualTo("2");
      assertThat(day.get("recovered").n()).isEqualTo("0");
      assertThat(published(sqs, queue, 1).get(0)).contains("5 inserted").contains("0 deleted");

      requests.clear();
      CliProcess.Result again = CliProcess.run(example, environment, "run", "pipeline.yaml");
      assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
      assertThat(again.out()).contains("2 skipped");
      assertThat(requests).as("one conditional request per URL").hasSize(2);
      assertThat(published(sqs, queue, 0)).as("a skipped run is not news").isEmpty();

      // a day in one file only: the set loads again (both files claimed), no new joined day
      Files.writeString(files.resolve("us.csv"), "2020-01-26,5,0\n", StandardOpenOption.APPEND);
      CliProcess.Result oneChanged = CliProcess.run(example, environment, "run", "pipeline.yaml");
      assertThat(oneChanged.exitCode()).as(oneChanged.out() + oneChanged.err()).isZero();
      assertThat(oneChanged.out())
          .contains("read again for the sql step because us.csv of its file set changed");
      assertThat(published(sqs, queue, 1).get(0)).contains("0 inserted").contains("0 deleted");
      assertThat(dynamo.scan(r -> r.tableName(table)).items()).hasSize(5);

      // the day in the other file too: one new joined day
      Files.writeString(
          files.resolve("recovered.csv"),
          "2020-01-26,US,,5,1,0\n2020-01-26,France,,3,0,0\n",
          StandardOpenOption.APPEND);
      CliProcess.Result third = CliProcess.run(example, environment, "run", "pipeline.yaml");
      assertThat(third.exitCode()).as(third.out() + third.err()).isZero();
      assertThat(dynamo.scan(r -> r.tableName(table)).items()).hasSize(6);
      String message = published(sqs, queue, 1).get(0);
      assertThat(message).contains("1 inserted").contains("0 deleted");
    }
  }

  /**
   * Serves the folder's files with a strong ETag (their SHA-256) and answers 304 when unchanged.
   */
  private String serve(SelfSignedTls tls, Path files) throws IOException {
    server = tls.server();
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            respond(exchange, files.resolve(exchange.getRequestURI().getPath().substring(1)));
          }
        });
    server.start();
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      exchange.sendResponseHeaders(404, -1);
      return;
    }
    byte[] body = Files.readAllBytes(file);
    String etag = "\"" + sha256(body) + "\"";
    exchange.getResponseHeaders().set("ETag", etag);
    if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The messages published since the last call: polls until {@code expected} arrived, then once
   * more so that an unexpected extra one is seen too.
   */
  private static List<String> published(SqsClient sqs, String queue, int expected)
      throws IOException {
    List<String> texts = new ArrayList<>();
    for (int polls = 0; polls < 10 && texts.size() < expected; polls++) {
      texts.addAll(receive(sqs, queue));
    }
    texts.addAll(receive(sqs, queue));
    return texts;
  }

  private static List<String> receive(SqsClient sqs, String queue) throws IOException {
    List<String> texts = new ArrayList<>();
    for (Message message :
        sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10))
            .messages()) {
      JsonNode envelope = new ObjectMapper().readTree(message.body());
      texts.add(envelope.get("Message").asText());
      sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(message.receiptHandle()));
    }
    return texts;
  }
}
