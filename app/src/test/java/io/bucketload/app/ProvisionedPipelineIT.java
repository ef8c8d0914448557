package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.aws.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The seed examples from nothing to a running pipeline and back, on {@code moto_server} with only
 * {@code AWS_ENDPOINT_URL} pointing at it: {@code provision} (twice: the second changes nothing),
 * {@code upload}, the bucket's event arriving on the queue, {@code serve --once} loading it into
 * the table, the same bytes uploaded again being a no-op, and {@code teardown}.
 */
class ProvisionedPipelineIT {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("user.dir")).getParent().resolve("examples");

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "seed-000-dynamodb, people, people-events, data/DATA.csv, 1000",
    "seed-004-raw, raw_sales, raw-sales-events, data/raw/sales-2026-11.csv, 5",
  })
  void fromNothingToLoadedAndBack(
      String example, String table, String queue, String data, int items) throws Exception {
    String suffix = Long.toString(System.nanoTime(), 36);
    String bucket = "landing-" + suffix;
    Path pipeline = dir.resolve("pipeline.yaml");
    Files.writeString(
        pipeline,
        Files.readString(EXAMPLES.resolve(example).resolve("pipeline.yaml"))
            .replace("table: " + table, "table: " + table + "-" + suffix)
            .replace("sqs: " + queue, "sqs: " + queue + "-" + suffix + "\n  wait_seconds: 1"));
    Path file = dir.resolve(Path.of(data).getFileName());
    Files.copy(EXAMPLES.resolve(example).resolve(data), file);
    Map<String, String> environment =
        Map.of(
            "BUCKET", bucket,
            "AWS_ENDPOINT_URL", MotoServer.endpoint().toString(),
            "AWS_ACCESS_KEY_ID", "testing",
            "AWS_SECRET_ACCESS_KEY", "testing",
            "AWS_REGION", "us-east-1");

    CliProcess.Result provisioned = cli(environment, "provision", "pipeline.yaml");
    assertThat(provisioned.exitCode()).as(provisioned.out() + provisioned.err()).isZero();
    assertThat(provisioned.out())
        .contains("created       bucket            " + bucket)
        .contains("created       queue             " + queue + "-" + suffix)
        .contains("created       notification");
    CliProcess.Result again = cli(environment, "provision", "pipeline.yaml");
    assertThat(again.out()).as(again.out() + again.err()).contains("nothing to change");

    try (S3Client s3 = MotoServer.configure(S3Client.builder()).forcePathStyle(true).build();
        SqsClient sqs = MotoServer.configure(SqsClient.builder()).build();
        DynamoDbClient dynamoDb = MotoServer.configure(DynamoDbClient.builder()).build()) {
      // moto_server speaks plain HTTP, which the TLS-only bucket policy refuses: said so.
      CliProcess.Result denied = cli(environment, "upload", "pipeline.yaml", file.toString());
      assertThat(denied.exitCode()).isEqualTo(3);
      assertThat(denied.err())
          .startsWith("bucketload: uploading " + file + " to s3://****/")
          .contains(": S3 answered HTTP 403 (access denied")
          .doesNotContain("unexpected failure");
      s3.deleteBucketPolicy(r -> r.bucket(bucket));
      String queueUrl = sqs.getQueueUrl(r -> r.queueName(queue + "-" + suffix)).queueUrl();

      CliProcess.Result uploaded = cli(environment, "upload", "pipeline.yaml", file.toString());
      assertThat(uploaded.exitCode()).as(uploaded.out() + uploaded.err()).isZero();
      waitForMessages(sqs, queueUrl, 1);
      CliProcess.Result served = cli(environment, "serve", "pipeline.yaml", "--once");
      assertThat(served.exitCode()).as(served.out() + served.err()).isZero();
      String tableName = table + "-" + suffix;
      assertThat(count(dynamoDb, tableName)).isEqualTo(items);

      cli(environment, "upload", "pipeline.yaml", file.toString());
      waitForMessages(sqs, queueUrl, 1);
      CliProcess.Result repeated = cli(environment, "serve", "pipeline.yaml", "--once");
      assertThat(repeated.exitCode()).as(repeated.out() + repeated.err()).isZero();
      assertThat(repeated.err())
          .as("the same bytes, a new version of the object in the versioned bucket")
          .contains("already loaded");
      assertThat(count(dynamoDb, tableName)).isEqualTo(items);

      CliProcess.Result refused = cli(environment, "teardown", "pipeline.yaml", "--yes", "other");
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.err()).contains("not confirmed");
      String name = example.equals("seed-000-dynamodb") ? "people" : "raw-sales";
      CliProcess.Result kept = cli(environment, "teardown", "pipeline.yaml", "--yes", name);
      assertThat(kept.exitCode()).as(kept.out() + kept.err()).isZero();
      assertThat(kept.out()).contains("deleted       queue ").contains("kept          bucket ");
      assertThat(sqs.listQueues(r -> r.queueNamePrefix(queue + "-" + suffix)).queueUrls())
          .isEmpty();
      CliProcess.Result gone =
          cli(environment, "teardown", "pipeline.yaml", "--delete-data", "--yes", name);
      assertThat(gone.exitCode()).as(gone.out() + gone.err()).isZero();
      assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
      assertThat(dynamoDb.listTables().tableNames()).doesNotContain(tableName);
    }
  }

  private CliProcess.Result cli(Map<String, String> environment, String... args) throws Exception {
    return CliProcess.run(dir, environment, args);
  }

  private static long count(DynamoDbClient dynamoDb, String table) {
    return dynamoDb.scanPaginator(r -> r.tableName(table).select("COUNT")).stream()
        .mapToLong(page -> page.count())
        .sum();
  }

  /** Waits, up to 30 s, until the queue holds at least {@code expected} visible messages. */
  static void waitForMessages(SqsClient sqs, String queueUrl, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String visible =
          sqs.getQueueAttributes(
                  r ->
                      r.queueUrl(queueUrl)
                          .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
              .attributes()
              .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
      if (Integer.parseInt(visible) >= expected) {
        return;
      }
      // Checked again after a tenth of a second: the condition is what ends the wait.
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    throw new AssertionError("no S3 event reached " + queueUrl + " in 30 s");
  }
}
