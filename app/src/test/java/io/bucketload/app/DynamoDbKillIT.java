package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.aws.AwsPipeline;
import io.bucketload.aws.LocalAws;
import io.bucketload.aws.dynamodb.DynamoDbTargetFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * A worker killed with SIGKILL while writing to DynamoDB holds its claim until the lease runs out:
 * a run meanwhile waits, a run after it takes the claim over and loads the file, once.
 */
class DynamoDbKillIT {
  private static final int ROWS = 40_000;
  private static final Map<String, String> CREDENTIALS =
      Map.of(
          "AWS_ACCESS_KEY_ID", "localTestKey",
          "AWS_SECRET_ACCESS_KEY", "localTestSecret",
          "AWS_REGION", "us-east-1");

  @TempDir Path dir;
  private final DynamoDbClient dynamoDb = LocalAws.dynamoDb();

  @Test
  void aKilledWorkersClaimIsTakenOverAfterItsLeaseAndTheFileLoadsOnce() throws Exception {
    String table = AwsPipeline.table("killed");
    String pipeline = "killed-" + System.nanoTime();
    AwsPipeline aws =
        new AwsPipeline(dir)
            .pipeline(
                pipeline,
                """
                source: {path: "s3://${BUCKET}/", endpoint: "${S3_ENDPOINT}", path_style: true}
                schema:
                  key: [id]
                  columns:
                    - {name: id, type: long}
                    - {name: amount, type: "decimal(10,2)"}
                target:
                  type: dynamodb
                  endpoint: ${DYNAMODB_ENDPOINT}
                  table: TABLE
                  mode: upsert
                  lease_seconds: 15
                  max_concurrency: 2
                """
                    .replace("TABLE", table));
    StringBuilder csv = new StringBuilder("id,amount\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append(i).append(',').append(i % 1000).append(".25\n");
    }
    aws.put("big.csv", csv.toString());
    String file = aws.file().getFileName().toString();

    Process worker =
        startWith(
            CliProcess.builder(dir, dir.resolve("killed.err"), "run", file, "--progress", "none")
                .redirectOutput(dir.resolve("killed.out").toFile()));
    long writing = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (items(table) == 0) {
      assertThat(worker.isAlive()).as("the load ended before it could be killed").isTrue();
      assertThat(System.nanoTime()).as("the worker starts writing").isLessThan(writing);
    }
    worker.destroyForcibly();
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long partial = items(table);
    assertThat(partial).isBetween(1L, ROWS - 1L);

    CliProcess.Result during = CliProcess.run(dir, CREDENTIALS, "run", file);
    assertThat(during.out()).contains("waiting").contains("being loaded by another worker");
    assertThat(during.exitCode()).isZero();

    // The claim holds until its lease runs out, and no longer: once the clock passes the lease's
    // end, one run takes the claim over and loads the file.
    long leaseUntil = leaseUntil(pipeline);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (long left = leaseUntil - System.currentTimeMillis() + 1;
        left > 0;
        left = leaseUntil - System.currentTimeMillis() + 1) {
      assertThat(System.nanoTime()).as("the lease ends within its 15 s").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
    }
    CliProcess.Result after = CliProcess.run(dir, CREDENTIALS, "run", file);
    assertThat(after.out()).contains("1 loaded, 0 skipped, 0 failed");
    assertThat(after.exitCode()).isZero();
    assertThat(items(table)).isEqualTo(ROWS);
    assertThat(loadedEntries(pipeline)).isEqualTo(1);
  }

  private static Process startWith(ProcessBuilder builder) throws java.io.IOException {
    builder.environment().putAll(CREDENTIALS);
    return builder.start();
  }

  private long items(String table) {
    try {
      return dynamoDb.scanPaginator(request -> request.tableName(table).select("COUNT")).stream()
          .mapToLong(page -> page.count())
          .sum();
    } catch (ResourceNotFoundException e) {
      return 0;
    }
  }

  /** When the claim on the pipeline's one file version runs out, in epoch milliseconds. */
  private long leaseUntil(String pipeline) {
    return ledgerItems(pipeline, "latest#").stream()
        .mapToLong(item -> Long.parseLong(item.get("lease_until").n()))
        .max()
        .orElseThrow();
  }

  private long loadedEntries(String pipeline) {
    return ledgerItems(pipeline, "run#").stream()
        .filter(item -> item.get("status").s().equals("LOADED"))
        .count();
  }

  /** The pipeline's ledger items whose sort key starts with {@code prefix}. */
  private List<Map<String, AttributeValue>> ledgerItems(String pipeline, String prefix) {
    return dynamoDb
        .query(
            request ->
                request
                    .tableName(DynamoDbTargetFactory.DEFAULT_LEDGER_TABLE)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .consistentRead(true)
                    .expressionAttributeValues(
                        Map.of(
                            ":pk", AttributeValue.fromS(pipeline),
                            ":prefix", AttributeValue.fromS(prefix))))
        .items();
  }
}
