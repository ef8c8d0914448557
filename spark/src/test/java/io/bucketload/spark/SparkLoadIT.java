package io.bucketload.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketload.aws.LocalAws;
import io.bucketload.jdbc.postgres.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Pipelines run on Spark in {@code local[2]}, the job started as spark-submit starts it (see {@link
 * SparkJob}), against a real PostgreSQL server and DynamoDB Local: each file is one task, the
 * report is the run's, a second run skips, a task that dies mid-file is retried and the file loads
 * exactly once.
 */
class SparkLoadIT {
  private static final Map<String, String> PG_ENV = Map.of("PGPASSWORD", "postgres");

  /** The credentials and region of the local AWS stand-ins. */
  private static final Map<String, String> AWS_ENV =
      Map.of(
          "AWS_ACCESS_KEY_ID", "localTestKey",
          "AWS_SECRET_ACCESS_KEY", "localTestSecret",
          "AWS_REGION", "us-east-1");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path landing() throws IOException {
    return Files.createDirectories(dir.resolve("landing"));
  }

  private Path pipeline(String target, String extra) throws IOException {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(
        file,
        "name: orders\n"
            + "source: {path: landing, settle: 0s}\n"
            + "schema:\n"
            + "  key: [id]\n"
            + "  columns:\n"
            + "    - {name: id, type: long, required: true}\n"
            + "    - {name: name, type: string}\n"
            + "    - {name: amount, type: \"decimal(10,2)\"}\n"
            + target
            + extra,
        StandardCharsets.UTF_8);
    return file;
  }

  /** The source section of the objects under {@code raw/} of the bucket, and the schema. */
  private static String s3SourceAndSchema(String bucket) {
    return "source: {path: \"s3://"
        + bucket
        + "/raw/\", endpoint: \""
        + LocalAws.s3Endpoint()
        + "\", match: \"*.csv\", settle: 0s}\n"
        + "schema:\n  key: [id]\n  columns:\n"
        + "    - {name: id, type: long, required: true}\n"
        + "    - {name: name, type: string}\n"
        + "    - {name: amount, type: \"decimal(10,2)\"}\n";
  }

  private static String postgres(String url, String mode) {
    return "target:\n  type: postgres\n  url: "
        + url
        + "\n  user: postgres\n  password: ${PGPASSWORD}\n  table: orders\n  mode: "
        + mode
        + "\n";
  }

  /** Writes {@code rows} generated rows with ids from {@code firstId}. */
  private void orders(String name, long firstId, int rows) throws IOException {
    StringBuilder text = new StringBuilder("id,name,amount\n");
    for (long id = firstId; id < firstId + rows; id++) {
      text.append(id).append(",\"name ").append(id).append("\",").append(id % 1000).append(".25\n");
    }
    Files.writeString(landing().resolve(name), text, StandardCharsets.UTF_8);
  }

  /**
   * Runs the pipeline written by {@link #pipeline} on Spark with {@code master}, its report in
   * report.json.
   */
  private SparkJob.Result load(Map<String, String> env, Map<String, String> conf, String master)
      throws IOException, InterruptedException {
    return SparkJob.run(
        dir,
        env,
        conf,
        dir.resolve("pipeline.yaml").toString(),
        "--master",
        master,
        "--report",
        "report.json");
  }

  private JsonNode report() throws IOException {
    return JSON.readTree(dir.resolve("report.json").toFile());
  }

  private static List<String> statuses(JsonNode report) {
    List<String> statuses = new ArrayList<>();
    for (JsonNode file : report.get("files")) {
      statuses.add(file.get("file").asText() + " " + file.get("status").asText());
    }
    return statuses;
  }

  @Test
  void manyFilesLoadOneTaskEachIntoPostgresAndASecondRunSkipsThem() throws Exception {
    String url = PostgresServer.newDatabase();
    for (int f = 1; f <= 4; f++) {
      orders("orders-" + f + ".csv", f * 100L, 10);
    }
    Files.writeString(
        landing().resolve("orders-5.csv"),
        "id,name,amount\n500,five,1.00\n501,bad,not-a-number\n502,\"a, quoted\nname\",2.50\n");
    pipeline(postgres(url, "upsert"), "rejects: {max: 1}\n");

    SparkJob.Result first = load(PG_ENV, Map.of(), "local[2]");

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.err())
        .contains("Running Spark version " + System.getProperty("bucketload.spark.version"));
    JsonNode report = report();
    assertThat(report.get("trigger").asText()).isEqualTo("spark");
    assertThat(statuses(report))
        .containsExactly(
            "orders-1.csv loaded",
            "orders-2.csv loaded",
            "orders-3.csv loaded",
            "orders-4.csv loaded",
            "orders-5.csv loaded");
    JsonNode fifth = report.get("files").get(4);
    assertThat(fifth.get("rows_read").asLong()).isEqualTo(3);
    assertThat(fifth.get("rows_loaded").asLong()).isEqualTo(2);
    assertThat(fifth.get("rows_rejected").asLong()).isEqualTo(1);
    assertThat(fifth.get("reject_reasons").get(0).get("first_line").asLong()).isEqualTo(3);
    assertThat(fifth.get("rejects_path").asText()).endsWith("orders-5.rejects.csv");
    assertThat(PostgresServer.query(url, "SELECT count(*), sum(id) FROM orders"))
        .containsExactly("42|" + (4 * 45 + 10 * (100 + 200 + 300 + 400) + 500 + 502));
    assertThat(PostgresServer.query(url, "SELECT name FROM orders WHERE id = 502"))
        .containsExactly("a, quoted\nname");
    String runId = report.get("run_id").asText();
    assertThat(
            PostgresServer.query(
                url,
                "SELECT count(*) FROM bucketload_ledger WHERE run_id = '"
                    + runId
                    + "' AND status = 'loaded'"))
        .containsExactly("5");

    SparkJob.Result second = load(PG_ENV, Map.of(), "local[2]");

    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(statuses(report()))
        .containsExactly(
            "orders-1.csv skipped",
            "orders-2.csv skipped",
            "orders-3.csv skipped",
            "orders-4.csv skipped",
            "orders-5.csv skipped");
    assertThat(PostgresServer.query(url, "SELECT count(*) FROM orders")).containsExactly("42");
  }

  @Test
  void aFileOverItsRejectLimitLoadsNothingWhileTheOthersLoad() throws Exception {
    String url = PostgresServer.newDatabase();
    orders("good.csv", 1, 5);
    Files.writeString(landing().resolve("bad.csv"), "id,name,amount\n10,a,x\n11,b,1.00\n12,c,y\n");
    pipeline(postgres(url, "append"), "rejects: {max: 1}\n");

    SparkJob.Result run = load(PG_ENV, Map.of(), "local[2]");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(statuses(report())).containsExactly("bad.csv failed", "good.csv loaded");
    assertThat(report().get("files").get(0).get("error").asText())
        .contains("2 of 3 rows rejected, over rejects.max");
    assertThat(PostgresServer.query(url, "SELECT count(*), min(id), max(id) FROM orders"))
        .containsExactly("5|1|5");
    assertThat(run.out()).contains("bad.csv: failed").contains("good.csv: loaded, 5 rows loaded");
  }

  @Test
  void aTaskThatDiesMidFileIsRetriedAndEachFileLoadsExactlyOnce() throws Exception {
    String url = PostgresServer.newDatabase();
    orders("big-1.csv", 1, 30_000);
    orders("big-2.csv", 100_000, 20_000);
    // append: a file loaded twice would show twice.
    pipeline(postgres(url, "append"), "");

    SparkJob.Result run =
        load(PG_ENV, Map.of(FaultInjection.SETTING, "after_rows:8192"), "local[2,2]");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).contains("task attempt 0 stopped after 8192 rows");
    assertThat(statuses(report())).containsExactly("big-1.csv loaded", "big-2.csv loaded");
    assertThat(report().get("files").get(0).get("rows_loaded").asLong()).isEqualTo(30_000);
    assertThat(report().get("files").get(1).get("rows_loaded").asLong()).isEqualTo(20_000);
    assertThat(
            PostgresServer.query(
                url, "SELECT count(*), count(DISTINCT id), sum(id), sum(amount) FROM orders"))
        .containsExactly(
            "50000|50000|"
                + (sum(1, 30_000) + sum(100_000, 20_000))
                + "|"
                + amounts(1, 30_000).add(amounts(100_000, 20_000)).toPlainString());
    assertThat(
            PostgresServer.query(
                url, "SELECT count(*) FROM bucketload_ledger WHERE status = 'loaded'"))
        .containsExactly("2");
  }

  @Test
  void aTaskThatDiesAfterItsFileCommittedIsReportedLoadedOnce() throws Exception {
    String url = PostgresServer.newDatabase();
    orders("a.csv", 1, 100);
    orders("b.csv", 1_000, 50);
    pipeline(postgres(url, "append"), "");

    SparkJob.Result run =
        load(PG_ENV, Map.of(FaultInjection.SETTING, "after_commit"), "local[2,2]");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).contains("task attempt 0 stopped after the file was loaded");
    JsonNode report = report();
    assertThat(statuses(report)).containsExactly("a.csv loaded", "b.csv loaded");
    assertThat(report.get("files").get(0).get("rows_loaded").asLong()).isEqualTo(100);
    assertThat(report.get("files").get(0).get("rows_read").asLong()).isEqualTo(100);
    assertThat(report.get("files").get(0).get("warnings").get(0).asText())
        .contains("loaded by an earlier attempt of its Spark task");
    assertThat(PostgresServer.query(url, "SELECT count(*), count(DISTINCT id) FROM orders"))
        .containsExactly("150|150");
  }

  @Test
  void aJobSparkGivesUpOnIsReportedFromTheLedgerAndTheNextRunCompletesIt() throws Exception {
    String url = PostgresServer.newDatabase();
    for (int f = 1; f <= 3; f++) {
      orders("f" + f + ".csv", f * 1_000L, 100);
    }
    pipeline(postgres(url, "append"), "");

    // local[2]: one attempt per task, so the first task that dies fails the job.
    SparkJob.Result failed =
        load(PG_ENV, Map.of(FaultInjection.SETTING, "after_commit"), "local[2]");

    JsonNode report = report();
    long loaded = 0;
    for (JsonNode file : report.get("files")) {
      String status = file.get("status").asText();
      assertThat(status).as(file.toString()).isIn("loaded", "failed");
      if (status.equals("loaded")) {
        loaded++;
        assertThat(file.get("rows_loaded").asLong()).isEqualTo(100);
      } else {
        assertThat(file.get("error").asText()).contains("its Spark task failed");
      }
    }
    assertThat(loaded).as(failed.toString()).isPositive();
    assertThat(failed.exitCode()).isEqualTo(loaded == 3 ? 0 : 3);
    // What the report says loaded is what the table holds.
    assertThat(PostgresServer.query(url, "SELECT count(*) FROM orders"))
        .containsExactly(Long.toString(loaded * 100));

    SparkJob.Result next = load(PG_ENV, Map.of(), "local[2]");

    assertThat(next.exitCode()).as(next.toString()).isZero();
    // Every file of the first run may have committed before Spark gave up: then all are skipped.
    assertThat(report().get("files").findValuesAsText("status"))
        .isSubsetOf("loaded", "skipped")
        .filteredOn("skipped"::equals)
        .hasSize((int) loaded);
    assertThat(PostgresServer.query(url, "SELECT count(*), count(DISTINCT id) FROM orders"))
        .containsExactly("300|300");
  }

  /** A large file's expected outcome: what the table holds after it, and its rejects' lines. */
  private record LargeFile(int rows, String table, List<Long> rejectLines, long loaded) {}

  /**
   * Writes a file whose every name holds a quoted line break (LF inside quotes, CRLF between
   * records), the first part's nominal end ({@code partBytes}) falling on one; every 997th row's
   * amount does not convert; the last {@code repeats} rows repeat the first ids (the last row of a
   * key wins).
   */
  private LargeFile largeFile(String name, int rows, int repeats, int partBytes)
      throws IOException {
    StringBuilder text = new StringBuilder("id,name,amount\r\n");
    java.util.TreeMap<Long, String> table = new java.util.TreeMap<>();
    List<Long> rejectLines = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      long id = i < rows - repeats ? i : i - (rows - repeats);
      String prefix = id + ",\"";
      String first = "row " + i + " first half";
      int start = text.length();
      if (start < partBytes && partBytes - start < 200) {
        // This row's quoted line break falls exactly where the first part would end.
        first = "x".repeat(partBytes - start - prefix.length());
      }
      String rowName = first + "\n" + "second half of " + i;
      boolean bad = i % 997 == 500;
      String amount = bad ? "bad" : (i % 1000) + ".50";
      text.append(prefix).append(rowName).append("\",").append(amount).append("\r\n");
      long line = 2 + 2L * i;
      if (bad) {
        rejectLines.add(line);
      } else {
        table.put(id, id + "|" + rowName + "|" + amount);
      }
    }
    Files.writeString(landing().resolve(name), text, StandardCharsets.UTF_8);
    assertThat(text.charAt(partBytes)).isEqualTo('\n');
    assertThat(text.length()).isGreaterThan(4 * partBytes);
    return new LargeFile(rows, String.join(";", table.values()), rejectLines, table.size());
  }

  private static String table(String url) throws java.sql.SQLException {
    return PostgresServer.query(
            url,
            "SELECT string_agg(id || '|' || name || '|' || amount, ';' ORDER BY id) FROM orders")
        .get(0);
  }

  private List<Long> rejectLines(String file) throws IOException {
    List<Long> lines = new ArrayList<>();
    try (de.siegmar.fastcsv.reader.CsvReader<de.siegmar.fastcsv.reader.CsvRecord> csv =
        de.siegmar.fastcsv.reader.CsvReader.builder()
            .ofCsvRecord(landing().resolve("rejected").resolve(file))) {
      csv.stream().skip(1).forEach(record -> lines.add(Long.parseLong(record.getField(0))));
    }
    return lines;
  }

  @Test
  void aLargeFileIsReadInPartsOnTheExecutorsAndLoadsAsOneProcessLoadsIt() throws Exception {
    int partBytes = 256 * 1024;
    LargeFile expected = largeFile("large.csv", 20_000, 300, partBytes);
    orders("small.csv", 1_000_000, 10);
    pipeline(postgres("URL", "upsert"), "rejects: {max: 100}\n");
    Path pipeline = dir.resolve("pipeline.yaml");
    String template = Files.readString(pipeline);
    Map<String, String> cut = Map.of(SparkLoad.PART_BYTES, Integer.toString(partBytes));
    Map<String, String> cutAndFailing =
        Map.of(
            SparkLoad.PART_BYTES,
            Integer.toString(partBytes),
            FaultInjection.SETTING,
            "after_rows:100000");

    for (Map<String, String> conf : List.of(cut, cutAndFailing)) {
      String url = PostgresServer.newDatabase();
      Files.writeString(pipeline, template.replace("URL", url));

      SparkJob.Result run = load(PG_ENV, conf, "local[2,2]");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.err())
          .contains("large.csv: read in parts of " + partBytes + " bytes on the executors")
          .contains("rows written by the executors to stage bucketload_stage_");
      if (conf.containsKey(FaultInjection.SETTING)) {
        assertThat(run.err())
            .contains("large.csv: task attempt 0 stopped after staging the rows of part 1");
      }
      JsonNode report = report();
      assertThat(statuses(report)).containsExactly("large.csv loaded", "small.csv loaded");
      JsonNode large = report.get("files").get(0);
      assertThat(large.get("rows_read").asLong()).isEqualTo(expected.rows());
      assertThat(large.get("rows_rejected").asLong()).isEqualTo(expected.rejectLines().size());
      assertThat(large.get("rows_loaded").asLong()).isEqualTo(expected.loaded());
      assertThat(large.get("warnings").toString()).contains("repeated the key of a later row");
      assertThat(rejectLines("large.rejects.csv")).isEqualTo(expected.rejectLines());
      assertThat(table(url)).startsWith(expected.table() + ";1000000|name 1000000|0.25");
      assertThat(
              PostgresServer.query(
                  url, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'bucketload%stage%'"))
          .isEmpty();
    }
  }

  @Test
  void aLargeObjectInS3IsReadInRangesOnTheExecutorsAndLoadsAsOneProcessLoadsIt() throws Exception {
    int partBytes = 256 * 1024;
    LargeFile expected = largeFile("large.csv", 20_000, 300, partBytes);
    String bucket = "landing-" + Long.toString(System.nanoTime(), 36);
    software.amazon.awssdk.services.s3.S3Client s3 = LocalAws.s3();
    s3.createBucket(request -> request.bucket(bucket));
    s3.putObject(
        request -> request.bucket(bucket).key("raw/large.csv"), landing().resolve("large.csv"));
    Files.delete(landing().resolve("large.csv"));
    String url = PostgresServer.newDatabase();
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        "name: orders\n"
            + s3SourceAndSchema(bucket)
            + postgres(url, "upsert")
            + "rejects: {max: 100}\n");
    Map<String, String> env = new java.util.HashMap<>(AWS_ENV);
    env.put("PGPASSWORD", "postgres");

    SparkJob.Result run =
        load(
            env,
            Map.of(
                SparkLoad.PART_BYTES,
                Integer.toString(partBytes),
                FaultInjection.SETTING,
                "after_rows:100000"),
            "local[2,2]");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err())
        .contains("large.csv: read in parts of " + partBytes + " bytes on the executors")
        .contains("rows written by the executors to stage bucketload_stage_")
        .contains("large.csv: task attempt 0 stopped after staging the rows of part 1");
    JsonNode large = report().get("files").get(0);
    assertThat(large.get("status").asText()).isEqualTo("loaded");
    assertThat(large.get("rows_read").asLong()).isEqualTo(expected.rows());
    assertThat(large.get("rows_rejected").asLong()).isEqualTo(expected.rejectLines().size());
    assertThat(large.get("rows_loaded").asLong()).isEqualTo(expected.loaded());
    assertThat(table(url)).isEqualTo(expected.table());
    List<Long> rejected = new ArrayList<>();
    try (de.siegmar.fastcsv.reader.CsvReader<de.siegmar.fastcsv.reader.CsvRecord> csv =
        de.siegmar.fastcsv.reader.CsvReader.builder()
            .ofCsvRecord(
                s3.getObjectAsBytes(
                        request -> request.bucket(bucket).key("raw/rejected/large.rejects.csv"))
                    .asUtf8String())) {
      csv.stream().skip(1).forEach(record -> rejected.add(Long.parseLong(record.getField(0))));
    }
    assertThat(rejected).isEqualTo(expected.rejectLines());
  }

  private static long sum(long first, int count) {
    return count * first + (long) count * (count - 1) / 2;
  }

  private static java.math.BigDecimal amounts(long first, int count) {
    java.math.BigDecimal total = java.math.BigDecimal.ZERO.setScale(2);
    for (long id = first; id < first + count; id++) {
      total = total.add(new java.math.BigDecimal((id % 1000) + ".25"));
    }
    return total;
  }

  @Test
  void filesAndALargeFileInPartsLoadIntoDynamoDbWhenTasksDie() throws Exception {
    String table = "orders_" + Long.toString(System.nanoTime(), 36);
    orders("a.csv", 1, 20_000);
    orders("b.csv", 25_000, 50);
    orders("c.csv", 30_000, 50);
    // Under two parts: one task, which dies on its first attempt while it writes: DynamoDB's
    // check of the whole file reads 8,300 rows, the writing two chunks of 2,048 more, which pass
    // 12,000, before the death.
    orders("d.csv", 40_000, 8_300);
    assertThat(Files.size(landing().resolve("d.csv"))).isLessThan(2 * 128 * 1024);

    pipeline(
        "target: {type: dynamodb, endpoint: \""
            + LocalAws.dynamoDbEndpoint()
            + "\", table: "
            + table
            + ", mode: upsert}\n",
        "");
    Map<String, String> env = AWS_ENV;

    SparkJob.Result run =
        load(
            env,
            Map.of(FaultInjection.SETTING, "after_rows:12000", SparkLoad.PART_BYTES, "128k"),
            "local[2,2]");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err())
        .contains("a.csv: read in parts of 131072 bytes on the executors")
        .contains("a.csv: task attempt 0 stopped after reading part 1")
        .contains("d.csv: task attempt 0 stopped after 12396 rows");
    assertThat(statuses(report()))
        .containsExactly("a.csv loaded", "b.csv loaded", "c.csv loaded", "d.csv loaded");
    DynamoDbClient dynamoDb = LocalAws.dynamoDb();
    List<Map<String, AttributeValue>> items =
        StreamSupport.stream(
                dynamoDb
                    .scanPaginator(r -> r.tableName(table).consistentRead(true))
                    .items()
                    .spliterator(),
                false)
            .toList();
    assertThat(items).hasSize(28_400);
    assertThat(items.stream().mapToLong(item -> Long.parseLong(item.get("id").n())).sum())
        .isEqualTo(sum(1, 20_000) + sum(25_000, 50) + sum(30_000, 50) + sum(40_000, 8_300));

    SparkJob.Result again = load(env, Map.of(), "local[2]");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(statuses(report()))
        .containsExactly("a.csv skipped", "b.csv skipped", "c.csv skipped", "d.csv skipped");
  }

  @Test
  void aPipelineFileInS3IsReadFromItsUri() throws Exception {
    String url = PostgresServer.newDatabase();
    orders("a.csv", 1, 3);
    Path pipeline = pipeline(postgres(url, "append"), "");
    String bucket = "pipelines-" + Long.toString(System.nanoTime(), 36);
    software.amazon.awssdk.services.s3.S3Client s3 = LocalAws.s3();
    s3.createBucket(request -> request.bucket(bucket));
    s3.putObject(
        request -> request.bucket(bucket).key("etc/orders.yaml"),
        software.amazon.awssdk.core.sync.RequestBody.fromFile(pipeline));
    Map<String, String> env =
        Map.of(
            "PGPASSWORD", "postgres",
            "AWS_ACCESS_KEY_ID", "localTestKey",
            "AWS_SECRET_ACCESS_KEY", "localTestSecret",
            "AWS_REGION", "us-east-1",
            "AWS_ENDPOINT_URL_S3", LocalAws.s3Endpoint().toString());

    SparkJob.Result run =
        SparkJob.run(
            dir,
            env,
            Map.of(),
            "s3://" + bucket + "/etc/orders.yaml",
            "--master",
            "local[2]",
            "--report",
            "report.json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(statuses(report())).containsExactly("a.csv loaded");
    assertThat(PostgresServer.query(url, "SELECT count(*) FROM orders")).containsExactly("3");

    SparkJob.Result missing =
        SparkJob.run(dir, env, Map.of(), "s3://" + bucket + "/etc/missing.yaml");
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
    assertThat(missing.err())
        .contains("s3://" + bucket + "/etc/missing.yaml: cannot read the pipeline file");
  }

  @Test
  void objectsInS3LoadOneTaskEachIntoDynamoDb() throws Exception {
    String bucket = "landing-" + Long.toString(System.nanoTime(), 36);
    String table = "sales_" + Long.toString(System.nanoTime(), 36);
    software.amazon.awssdk.services.s3.S3Client s3 = LocalAws.s3();
    s3.createBucket(request -> request.bucket(bucket));
    for (int f = 1; f <= 3; f++) {
      StringBuilder rows = new StringBuilder("id,name,amount\n");
      for (int id = f * 100; id < f * 100 + 20; id++) {
        rows.append(id).append(",n").append(id).append(",").append(id).append(".50\n");
      }
      String key = "raw/sales-" + f + ".csv";
      s3.putObject(
          request -> request.bucket(bucket).key(key),
          software.amazon.awssdk.core.sync.RequestBody.fromString(rows.toString()));
    }
    s3.putObject(
        request -> request.bucket(bucket).key("raw/notes.txt"),
        software.amazon.awssdk.core.sync.RequestBody.fromString("not a csv"));
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        "name: sales\n"
            + s3SourceAndSchema(bucket)
            + "target: {type: dynamodb, endpoint: \""
            + LocalAws.dynamoDbEndpoint()
            + "\", table: "
            + table
            + ", mode: upsert}\n");
    Map<String, String> env = AWS_ENV;

    SparkJob.Result run = load(env, Map.of(), "local[2]");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(statuses(report()))
        .containsExactly("sales-1.csv loaded", "sales-2.csv loaded", "sales-3.csv loaded");
    assertThat(run.err()).doesNotContain("read in parts");
    assertThat(
            LocalAws.dynamoDb()
                .scanPaginator(request -> request.tableName(table).consistentRead(true))
                .items()
                .stream()
                .count())
        .isEqualTo(60);

    SparkJob.Result again = load(env, Map.of(), "local[2]");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(statuses(report()))
        .containsExactly("sales-1.csv skipped", "sales-2.csv skipped", "sales-3.csv skipped");
  }

  @Test
  void aDuckDbTargetIsRefusedBeforeAnythingRuns() throws Exception {
    landing();
    Path pipeline = pipeline("target: {type: duckdb, path: out.duckdb, table: orders}\n", "");

    SparkJob.Result run = SparkJob.run(dir, Map.of(), Map.of(), pipeline.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("target type duckdb is a file with one writer");
    assertThat(dir.resolve("out.duckdb")).doesNotExist();
  }
}
