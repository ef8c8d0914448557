package io.bucketload.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketload.aws.AwsPipeline;
import io.bucketload.aws.LocalAws;
import io.bucketload.aws.dynamodb.DynamoDbLedger;
import io.bucketload.aws.dynamodb.DynamoDbTargetFactory;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class HandlerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path folder;
  private AwsPipeline aws;
  private String table;
  private final DynamoDbClient dynamoDb = LocalAws.dynamoDb();

  @BeforeEach
  void setUp() {
    aws = new AwsPipeline(folder);
    table = AwsPipeline.table("lambda");
    aws.pipeline(
        "lambda-" + System.nanoTime(),
        """
        source: {path: "s3://${BUCKET}/incoming/", endpoint: "${S3_ENDPOINT}", path_style: true}
        schema:
          key: [customer_id]
          columns:
            - {name: customer_id, type: string}
            - {name: age, type: int}
        target: {type: dynamodb, endpoint: "${DYNAMODB_ENDPOINT}", table: TABLE, mode: upsert}
        """
            .replace("TABLE", table));
  }

  private static String event(String name) throws IOException {
    try (InputStream in = HandlerIT.class.getResourceAsStream("/events/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private String s3Event(String key) throws IOException {
    return event("s3-put.json").replace("BUCKET", aws.bucket()).replace("KEY", key);
  }

  private static JsonNode invoke(Handler handler, String event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return JSON.readTree(out.toByteArray());
  }

  /** Claims a file's current version for another worker, as if it were loading it now. */
  private void claimElsewhere(String key) throws IOException {
    PipelineSpec spec = new PipelineSpecReader().read(aws.file());
    try (Source source = Sources.open(spec.source())) {
      FileVersion version = source.identify(source.resolve(key));
      new DynamoDbLedger(
              dynamoDb,
              DynamoDbTargetFactory.DEFAULT_LEDGER_TABLE,
              Clock.systemUTC(),
              Duration.ofMinutes(5))
          .claim(spec.name(), version, "", "run-elsewhere", "another-worker");
    }
  }

  private long items() {
    return dynamoDb.scanPaginator(request -> request.tableName(table).select("COUNT")).stream()
        .mapToLong(page -> page.count())
        .sum();
  }

  @Test
  void anS3EventLoadsItsObjectWithThePipelineNamedByPath() throws Exception {
    aws.put("incoming/new customers.csv", "customer_id,age\nc1,30\nc2,40\n");
    Handler handler = new Handler(Map.of("BUCKETLOAD_PIPELINE", aws.file().toString()));

    JsonNode answer = invoke(handler, s3Event("incoming/new+customers.csv"));

    assertThat(answer.path("files").get(0).path("status").asText()).isEqualTo("loaded");
    assertThat(answer.path("files").get(0).path("rows_loaded").asLong()).isEqualTo(2);
    assertThat(items()).isEqualTo(2);

    JsonNode again = invoke(handler, s3Event("incoming/new+customers.csv"));
    assertThat(again.path("files").get(0).path("status").asText()).isEqualTo("skipped");
  }

  @Test
  void anSqsBatchAcknowledgesLoadedAndBadFilesAndReleasesOnlyAFileBeingLoadedElsewhere()
      throws Exception {
    aws.put("config/pipeline.yaml", Files.readString(aws.file()));
    aws.put("incoming/good.csv", "customer_id,age\nc1,30\n");
    aws.put("incoming/bad.csv", "name,age\nno key,30\n");
    String body =
        "{\\\"Records\\\":[{\\\"eventSource\\\":\\\"aws:s3\\\",\\\"eventName\\\":"
            + "\\\"ObjectCreated:Put\\\",\\\"s3\\\":{\\\"bucket\\\":{\\\"name\\\":\\\""
            + aws.bucket()
            + "\\\"},\\\"object\\\":{\\\"key\\\":\\\"incoming/KEY.csv\\\"}}}]}";
    String batch =
        event("sqs-batch.json")
            .replace("BODY_GOOD", body.replace("KEY", "good"))
            .replace("BODY_BAD", body.replace("KEY", "bad"));
    Handler handler =
        new Handler(
            Map.of(
                "BUCKETLOAD_PIPELINE", "s3://" + aws.bucket() + "/config/pipeline.yaml",
                "AWS_ENDPOINT_URL_S3", LocalAws.s3Endpoint().toString(),
                "BUCKETLOAD_WORK_DIR", folder.resolve("work").toString()));

    JsonNode answer = invoke(handler, batch);

    // The good file loaded; the bad one failed on its data, which another delivery cannot change.
    assertThat(answer.path("batchItemFailures")).isEmpty();
    assertThat(items()).isEqualTo(1);

    aws.put("incoming/busy.csv", "customer_id,age\nc9,30\n");
    claimElsewhere("busy.csv");
    String second =
        event("sqs-batch.json")
            .replace("BODY_GOOD", body.replace("KEY", "busy"))
            .replace("BODY_BAD", body.replace("KEY", "bad"));

    JsonNode again = invoke(handler, second);

    assertThat(again.path("batchItemFailures")).hasSize(1);
    assertThat(again.path("batchItemFailures").get(0).path("itemIdentifier").asText())
        .isEqualTo("059f36b4-87a3-44ab-83d2-661975830a7d");
    assertThat(items()).isEqualTo(1);
  }

  @Test
  void anS3EventWhoseFileFailsOnItsDataSucceedsWithTheFailureAndIsNotRetried() throws Exception {
    aws.put("incoming/bad.csv", "name,age\nno key,30\n");
    Handler handler = new Handler(Map.of("BUCKETLOAD_PIPELINE", aws.file().toString()));

    JsonNode answer = invoke(handler, s3Event("incoming/bad.csv"));

    assertThat(answer.path("files").get(0).path("status").asText()).isEqualTo("failed");
    assertThat(answer.path("files").get(0).path("error").asText())
        .contains("missing column 'customer_id'");
    assertThat(
            invoke(handler, s3Event("incoming/bad.csv"))
                .path("files")
                .get(0)
                .path("error")
                .asText())
        .contains("failed before");
  }

  @Test
  void anS3EventWhoseFileIsBeingLoadedElsewhereFailsTheInvocationSoLambdaRetriesIt()
      throws Exception {
    aws.put("incoming/busy.csv", "customer_id,age\nc9,30\n");
    Handler handler = new Handler(Map.of("BUCKETLOAD_PIPELINE", aws.file().toString()));
    aws.put("incoming/first.csv", "customer_id,age\nc1,30\n");
    invoke(handler, s3Event("incoming/first.csv"));
    claimElsewhere("busy.csv");

    assertThatThrownBy(() -> invoke(handler, s3Event("incoming/busy.csv")))
        .hasMessageContaining("not loaded, to be retried: busy.csv waiting");
  }

  /**
   * With the sql layer on the classpath (here, the jdbc module as a test dependency), a pipeline
   * with a sql step runs in the function: its workspace is found the way the layer's jar provides
   * it.
   */
  @Test
  void withTheSqlLayerASqlStepRunsInTheFunction() throws Exception {
    String totals = AwsPipeline.table("lambda-sql");
    aws.pipeline(
        "lambda-sql-" + System.nanoTime(),
        """
        source: {path: "s3://${BUCKET}/orders/", endpoint: "${S3_ENDPOINT}", path_style: true}
        schema:
          key: [customer_id]
          columns:
            - {name: customer_id, type: string, required: true}
            - {name: amount, type: "decimal(10,2)"}
        transform:
          - sql: |
              select customer_id, count(*) as orders, sum(amount) as total
              from input group by customer_id
        target: {type: dynamodb, endpoint: "${DYNAMODB_ENDPOINT}", table: TABLE, mode: upsert}
        """
            .replace("TABLE", totals));
    aws.put("orders/day1.csv", "customer_id,amount\nc1,10.50\nc2,3\nc1,1.25\n");
    Handler handler = new Handler(Map.of("BUCKETLOAD_PIPELINE", aws.file().toString()));

    JsonNode answer = invoke(handler, s3Event("orders/day1.csv"));

    assertThat(answer.path("files").get(0).path("status").asText()).isEqualTo("loaded");
    var c1 =
        dynamoDb
            .getItem(
                request ->
                    request
                        .tableName(totals)
                        .key(
                            Map.of(
                                "customer_id",
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                    "c1"))))
            .item();
    assertThat(c1.get("orders").n()).isEqualTo("2");
    assertThat(c1.get("total").n()).isEqualTo("11.75");
  }

  @Test
  void aScheduledEventLoadsEveryFileOfThePrefix() throws Exception {
    aws.put("incoming/a.csv", "customer_id,age\nc1,30\n");
    aws.put("incoming/b.csv", "customer_id,age\nc2,40\n");
    Handler handler = new Handler(Map.of("BUCKETLOAD_PIPELINE", aws.file().toString()));
    String scheduled =
        """
        {"version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
         "detail-type": "Scheduled Event", "source": "aws.events", "account": "123456789012",
         "time": "2026-12-02T06:00:00Z", "region": "us-east-1",
         "resources": ["arn:aws:events:us-east-1:123456789012:rule/bucketload-lambda"],
         "detail": {}}
        """;

    JsonNode answer = invoke(handler, scheduled);

    assertThat(answer.path("files")).hasSize(2);
    assertThat(items()).isEqualTo(2);
  }
}
