package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.aws.AwsPipeline;
import io.bucketload.aws.LocalAws;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB examples (seeds 000, 002 and 004) run through the command line as documented, with
 * their commented local-server settings switched on: the S3-compatible server and DynamoDB Local.
 */
class AwsExamplesIT {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("user.dir")).getParent().resolve("examples");

  @TempDir Path dir;

  /** Seed 002's alert webhook: a real HTTP server on loopback, keeping what it receives. */
  private final List<String> alerted = new java.util.concurrent.CopyOnWriteArrayList<>();

  private com.sun.net.httpserver.HttpServer alerts;

  @org.junit.jupiter.api.BeforeEach
  void listenForAlerts() throws IOException {
    alerts =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    alerts.createContext(
        "/services/T000/B000/secret",
        exchange -> {
          alerted.add(
              new String(
                  exchange.getRequestBody().readAllBytes(),
                  java.nio.charset.StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    alerts.start();
  }

  @org.junit.jupiter.api.AfterEach
  void stopAlerts() {
    alerts.stop(0);
  }

  private final DynamoDbClient dynamoDb = LocalAws.dynamoDb();
  private AwsPipeline aws;
  private String suffix;

  /**
   * Copies an example's pipeline with the local endpoints on and its table renamed for the test.
   */
  private Path pipeline(String example, String table) throws IOException {
    aws = new AwsPipeline(dir);
    suffix = "_" + System.nanoTime();
    String text =
        Files.readString(EXAMPLES.resolve(example).resolve("pipeline.yaml"))
            .replace("# endpoint: http://127.0.0.1:9000", "endpoint: " + LocalAws.s3Endpoint())
            .replace("# path_style: true", "path_style: true")
            .replace(
                "# endpoint: http://127.0.0.1:8000", "endpoint: " + LocalAws.dynamoDbEndpoint())
            .replace("table: " + table, "table: " + table + suffix);
    Path file = dir.resolve(example + ".yaml");
    Files.writeString(file, text);
    return file;
  }

  private CliProcess.Result run(Path pipeline) throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("BUCKET", aws.bucket());
    environment.put("AWS_ACCESS_KEY_ID", "localTestKey");
    environment.put("AWS_SECRET_ACCESS_KEY", "localTestSecret");
    environment.put("AWS_REGION", "us-east-1");
    environment.put(
        "ALERT_WEBHOOK_URL",
        "http://127.0.0.1:" + alerts.getAddress().getPort() + "/services/T000/B000/secret");
    return CliProcess.run(dir, environment, "run", pipeline.getFileName().toString());
  }

  private void upload(String example, String file, String key) throws IOException {
    aws.put(key, Files.readString(EXAMPLES.resolve(example).resolve(file)));
  }

  private List<Map<String, AttributeValue>> items(String table) {
    return dynamoDb.scanPaginator(r -> r.tableName(table + suffix)).items().stream().toList();
  }

  @Test
  void seed000LoadsDataCsvKeyedByUuid() throws Exception {
    Path pipeline = pipeline("seed-000-dynamodb", "people");
    upload("seed-000-dynamodb", "data/DATA.csv", "people/DATA.csv");

    CliProcess.Result result = run(pipeline);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("1000 rows read, 1000 loaded, 0 rejected");
    List<Map<String, AttributeValue>> items = items("people");
    assertThat(items).hasSize(1000);
    Map<String, AttributeValue> first =
        items.stream().filter(item -> item.get("uuid").s().equals("1")).findFirst().orElseThrow();
    assertThat(first.get("email").s()).isEqualTo("mlaughtisse0@mediafire.com");
    assertThat(run(pipeline).out()).contains("0 loaded, 1 skipped, 0 failed");
  }

  @Test
  void seed002FailsAFileWithoutCustomerIdNamingItAndWritesNothing() throws Exception {
    Path pipeline = pipeline("seed-002-customers", "customers");
    upload("seed-002-customers", "data/customers-bad.csv", "customers/customers-bad.csv");

    CliProcess.Result bad = run(pipeline);

    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.out())
        .contains("missing column 'customer_id' (schema.key)")
        .contains("a copy of the file is at s3://" + aws.bucket() + "/customers/failed/");
    assertThat(dynamoDb.listTables().tableNames()).doesNotContain("customers" + suffix);
    assertThat(alerted).hasSize(1);
    assertThat(alerted.get(0))
        .contains("[bucketload] customers: 1 failed (missing column 'customer_id'")
        .contains("customers-bad.csv");
    assertThat(bad.out())
        .contains("notified notify[0] (webhook) webhook http://127.0.0.1")
        .doesNotContain("secret");

    upload("seed-002-customers", "data/customers-good.csv", "customers/customers-good.csv");
    CliProcess.Result good = run(pipeline);
    assertThat(good.out()).contains("5 rows read, 5 loaded, 0 rejected");
    assertThat(alerted).as("on: [failure] only").hasSize(1);
    assertThat(items("customers"))
        .extracting(item -> item.get("name").s())
        .containsExactlyInAnyOrder("Tom", "Michael", "Marie", "Ivan", "Pablo");
  }

  @Test
  void seed004GivesRowsWithoutIdAHashAndDropsDuplicates() throws Exception {
    Path pipeline = pipeline("seed-004-raw", "raw_sales");
    upload("seed-004-raw", "data/raw/sales-2026-11.csv", "raw/sales-2026-11.csv");
    upload("seed-004-raw", "data/raw/sales-with-ids.csv", "raw/sales-with-ids.csv");

    CliProcess.Result result = run(pipeline);

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<Map<String, AttributeValue>> items = items("raw_sales");
    Map<String, List<String>> idsByFile =
        items.stream()
            .collect(
                Collectors.groupingBy(
                    item -> item.get("source_file").s(),
                    Collectors.mapping(item -> item.get("id").s(), Collectors.toList())));
    assertThat(idsByFile.get("sales-2026-11.csv"))
        .hasSize(5)
        .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{32}"));
    assertThat(idsByFile.get("sales-with-ids.csv"))
        .containsExactlyInAnyOrder("ord-1001", "ord-1002");
    assertThat(items).allSatisfy(item -> assertThat(item).containsKey("ingestion_timestamp"));
    assertThat(items.get(0).get("units").n()).isNotEmpty();
  }
}
