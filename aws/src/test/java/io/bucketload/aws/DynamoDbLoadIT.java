package io.bucketload.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.error.Fault;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.target.FileStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class DynamoDbLoadIT {
  @TempDir Path folder;
  private final DynamoDbClient dynamoDb = LocalAws.dynamoDb();
  private AwsPipeline aws;
  private String table;

  @BeforeEach
  void setUp() {
    aws = new AwsPipeline(folder);
    table = AwsPipeline.table("customers");
  }

  private void pipeline(String mode, String extra) {
    aws.pipeline(
        "customers",
        """
        source:
          path: s3://${BUCKET}/incoming/
          endpoint: ${S3_ENDPOINT}
          path_style: true
        schema:
          key: [customer_id]
          columns:
            - {name: customer_id, type: string, required: true}
            - {name: age, type: int}
            - {name: balance, type: "decimal(12,2)"}
            - {name: active, type: boolean}
            - {name: joined, type: date}
            - {name: note, type: string}
        target:
          type: dynamodb
          endpoint: ${DYNAMODB_ENDPOINT}
          table: TABLE
          mode: MODE
        """
                .replace("TABLE", table)
                .replace("MODE", mode)
            + extra);
  }

  private Map<String, Map<String, AttributeValue>> items() {
    return dynamoDb.scanPaginator(request -> request.tableName(table)).items().stream()
        .collect(Collectors.toMap(item -> item.get("customer_id").s(), item -> item));
  }

  /** Whether the table exists and holds an item. */
  private boolean hasItems() {
    try {
      return dynamoDb.scan(request -> request.tableName(table).limit(1)).count() > 0;
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }

  private static FileReport only(RunReport report) {
    assertThat(report.files()).hasSize(1);
    return report.files().get(0);
  }

  @Test
  void createsTheTableAndWritesTypedAttributesOmittingNulls() throws Exception {
    pipeline("upsert", "");
    aws.put(
        "incoming/customers.csv",
        "customer_id,age,balance,active,joined,note\n"
            + "c1,34,1200.50,true,2026-01-31,first\n"
            + "c2,,0.10,false,2025-12-01,\n");

    FileReport file = only(aws.run());

    assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    assertThat(file.rowsLoaded()).isEqualTo(2);
    Map<String, Map<String, AttributeValue>> items = items();
    assertThat(items.get("c1").get("age").n()).isEqualTo("34");
    assertThat(items.get("c1").get("balance").n()).isEqualTo("1200.5");
    assertThat(items.get("c1").get("active").bool()).isTrue();
    assertThat(items.get("c1").get("joined").s()).isEqualTo("2026-01-31");
    assertThat(items.get("c2")).doesNotContainKey("age");
    assertThat(items.get("c2").get("active").bool()).isFalse();
    var description = dynamoDb.describeTable(request -> request.tableName(table)).table();
    assertThat(description.keySchema().get(0).attributeName()).isEqualTo("customer_id");
    assertThat(description.keySchema().get(0).keyType()).isEqualTo(KeyType.HASH);
    assertThat(description.attributeDefinitions().get(0).attributeType())
        .isEqualTo(ScalarAttributeType.S);
  }

  @Test
  void aRedeliveredFileIsSkippedAndAChangedOneLoadsAgain() throws Exception {
    pipeline("upsert", "");
    aws.put(
        "incoming/customers.csv", "customer_id,age,balance,active,joined,note\nc1,1,1,true,,\n");
    assertThat(only(aws.run("incoming/customers.csv")).status()).isEqualTo(FileStatus.LOADED);

    FileReport again = only(aws.run("incoming/customers.csv"));
    assertThat(again.status()).isEqualTo(FileStatus.SKIPPED);

    aws.put(
        "incoming/customers.csv", "customer_id,age,balance,active,joined,note\nc1,2,1,true,,\n");
    assertThat(only(aws.run()).status()).isEqualTo(FileStatus.LOADED);
    assertThat(items().get("c1").get("age").n()).isEqualTo("2");
  }

  @Test
  void aKeyRepeatedWithinABatchKeepsItsLastRowAndIsReported() throws Exception {
    pipeline("upsert", "");
    aws.put(
        "incoming/customers.csv",
        "customer_id,age,balance,active,joined,note\n"
            + "c1,1,1,true,,\n"
            + "c2,5,1,true,,\n"
            + "c1,2,1,true,,\n");

    FileReport file = only(aws.run());

    assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    assertThat(file.rowsLoaded()).isEqualTo(2);
    assertThat(items().get("c1").get("age").n()).isEqualTo("2");
    assertThat(file.warnings())
        .contains(
            "1 row(s) repeated the key of a later row in the file; the last row of each key was"
                + " loaded");
  }

  @Test
  void aNamedObjectOutsideThePrefixIsRefusedSayingSo() throws Exception {
    pipeline("upsert", "");
    aws.put("other/customers.csv", "customer_id,age,balance,active,joined,note\nc1,1,1,true,,\n");

    FileReport file = only(aws.run("s3://" + aws.bucket() + "/other/customers.csv"));

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error().orElseThrow())
        .isEqualTo(
            "s3://%1$s/other/customers.csv: not an object under s3://%1$s/incoming/"
                .formatted(aws.bucket()));
  }

  @Test
  void theLastRowOfARepeatedKeyWinsAcrossBatches() throws Exception {
    pipeline("upsert", "");
    StringBuilder csv = new StringBuilder("customer_id,age,balance,active,joined,note\n");
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 500; i++) {
        csv.append("c").append(i).append(',').append(round).append(",1,true,,\n");
      }
    }
    aws.put("incoming/customers.csv", csv.toString());

    FileReport file = only(aws.run());

    assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    Map<String, Map<String, AttributeValue>> items = items();
    assertThat(items).hasSize(500);
    assertThat(items.values()).allSatisfy(item -> assertThat(item.get("age").n()).isEqualTo("2"));
  }

  @Test
  void aLocalFileThatChangesWhileItsItemsAreWrittenSaysTheyStayAndLoadsOnceItStops()
      throws Exception {
    // DynamoDB writes before its commit: a change seen after the first write cannot be undone.
    Path landing = Files.createDirectories(folder.resolve("landing"));
    aws.pipeline(
        "customers",
        """
        source:
          path: LANDING
        schema:
          key: [customer_id]
          columns:
            - {name: customer_id, type: string, required: true}
            - {name: age, type: int}
        target:
          type: dynamodb
          endpoint: ${DYNAMODB_ENDPOINT}
          table: TABLE
          mode: upsert
        """
            .replace("LANDING", landing.toString())
            .replace("TABLE", table));
    StringBuilder csv = new StringBuilder("customer_id,age\n");
    for (int i = 0; i < 30_000; i++) {
      csv.append('c').append(i).append(',').append(i % 90).append('\n');
    }
    Path file = landing.resolve("customers.csv");
    Files.writeString(file, csv.toString());
    long identified = Files.size(file);
    boolean[] appended = {false};
    LoadListener appender =
        new LoadListener() {
          @Override
          public void progress(SourceObject object, long rowsRead, long bytesRead) {
            // The check reads the file first and writes nothing: change it once items exist.
            if (!appended[0] && hasItems()) {
              appended[0] = true;
              try {
                Files.writeString(file, "c30000,1\n", StandardOpenOption.APPEND);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }
        };

    FileReport during = only(aws.run(Clock.systemUTC(), appender));

    assertThat(appended[0]).isTrue();
    assertThat(during.status()).isEqualTo(FileStatus.FAILED);
    assertThat(during.error().orElseThrow())
        .isEqualTo(
            "customers.csv: the file changed while it was read ("
                + identified
                + " bytes when identified, "
                + (identified + 9)
                + " read); the rows written before the change was seen stay, and the file loads"
                + " again (by key) when it stops changing");
    assertThat(items()).isNotEmpty();
    assertThat(during.writesStay()).as("its report does not say nothing was loaded").isTrue();
    FileReport after = only(aws.run());
    assertThat(after.status()).isEqualTo(FileStatus.LOADED);
    assertThat(after.rowsLoaded()).isEqualTo(30_001);
    assertThat(items()).hasSize(30_001);
  }

  @Test
  void insertNewLeavesExistingItemsUntouchedAndCountsThem() throws Exception {
    pipeline("insert_new", "");
    aws.put("incoming/a.csv", "customer_id,age,balance,active,joined,note\nc1,1,1,true,,old\n");
    aws.run();
    aws.put(
        "incoming/b.csv",
        "customer_id,age,balance,active,joined,note\nc1,2,1,true,,new\nc2,3,1,true,,new\n");

    FileReport file = only(aws.run("incoming/b.csv"));

    assertThat(file.inserted()).hasValue(1);
    assertThat(file.unchanged()).hasValue(1);
    assertThat(items().get("c1").get("note").s()).isEqualTo("old");
    assertThat(items().get("c2").get("note").s()).isEqualTo("new");
  }

  @Test
  void syncDeletesTheItemsWhoseKeysTheFileLacks() throws Exception {
    pipeline("sync", "");
    StringBuilder first = new StringBuilder("customer_id,age,balance,active,joined,note\n");
    for (int i = 0; i < 120; i++) {
      first.append("c").append(i).append(",1,1,true,,\n");
    }
    aws.put("incoming/day1.csv", first.toString());
    aws.run();
    aws.put(
        "incoming/day2.csv",
        "customer_id,age,balance,active,joined,note\nc1,5,1,true,,\nc500,6,1,true,,\n");

    FileReport file = only(aws.run("incoming/day2.csv"));

    assertThat(file.deleted()).hasValue(119);
    assertThat(items().keySet()).containsExactlyInAnyOrder("c1", "c500");
  }

  @Test
  void aFileOverItsRejectLimitWritesNothingAndKeepsItsRejectsAndACopy() throws Exception {
    pipeline("upsert", "rejects: {max: 1}\n");
    StringBuilder csv = new StringBuilder("customer_id,age,balance,active,joined,note\n");
    for (int i = 0; i < 5000; i++) {
      csv.append("c").append(i).append(",1,1,true,,\n");
    }
    csv.append("bad1,x,1,true,,\nbad2,y,1,true,,\n");
    aws.put("incoming/customers.csv", csv.toString());

    FileReport file = only(aws.run());

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.fault()).hasValue(Fault.DATA);
    assertThat(file.error().orElseThrow()).contains("2 of 5002 rows rejected");
    assertThat(file.rowsRead()).isEqualTo(5002);
    assertThat(file.rowsRejected()).isEqualTo(2);
    assertThat(file.rejectsPath()).isPresent();
    assertThat(dynamoDb.listTables().tableNames()).doesNotContain(table);
    assertThat(aws.read("incoming/rejected/customers.rejects.csv"))
        .contains("5002,age,x,")
        .contains("5003,age,y,");
    assertThat(aws.exists("incoming/failed/customers.csv")).isTrue();
  }

  @Test
  void anItemOverFourHundredKilobytesIsRejectedWithItsLine() throws Exception {
    pipeline("upsert", "rejects: {max: 5}\n");
    String big = "x".repeat(410 * 1024);
    aws.put(
        "incoming/customers.csv",
        "customer_id,age,balance,active,joined,note\nc1,1,1,true,,small\nc2,1,1,true,,"
            + big
            + "\n");

    FileReport file = only(aws.run());

    assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    assertThat(file.rowsLoaded()).isEqualTo(1);
    assertThat(file.rowsRejected()).isEqualTo(1);
    String reject = aws.read("incoming/rejected/customers.rejects.csv").split("\n")[1];
    assertThat(reject.substring(0, 73))
        .isEqualTo("3,,,\"the item is 411 KB, over DynamoDB's 400 KB item limit\",c2,1,1,true,,");
  }

  @Test
  void anExistingTableWithAnotherKeyFailsNamingBoth() throws Exception {
    dynamoDb.createTable(
        request ->
            request
                .tableName(table)
                .billingMode("PAY_PER_REQUEST")
                .keySchema(
                    KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("id")
                        .attributeType(ScalarAttributeType.N)
                        .build()));
    pipeline("upsert", "rejects: {max: 5}\n");
    aws.put(
        "incoming/customers.csv",
        "customer_id,age,balance,active,joined,note\nc1,1,1,true,,\nc2,x,1,true,,\n");

    FileReport file = only(aws.run());

    assertThat(file.fault()).hasValue(Fault.CONFIG);
    assertThat(file.error().orElseThrow())
        .contains("has the key id (N, partition)")
        .contains("schema.key is customer_id (S, partition)");
    // Found from the header, before any row: no row read, no rejects file of the bad row.
    assertThat(file.rowsRead()).isZero();
    assertThat(aws.exists("incoming/rejected/customers.rejects.csv")).isFalse();
  }

  @Test
  void replaceIsRefusedWithTheModeToUseInstead() throws Exception {
    pipeline("replace", "");
    aws.put(
        "incoming/customers.csv", "customer_id,age,balance,active,joined,note\nc1,1,1,true,,\n");

    FileReport file = only(aws.run());

    assertThat(file.fault()).hasValue(Fault.CONFIG);
    assertThat(file.error().orElseThrow()).contains("use sync");
  }

  @Test
  void aSortKeyAndNumericKeysWork() throws Exception {
    aws.pipeline(
        "readings",
        """
        source: {path: "s3://${BUCKET}/", endpoint: "${S3_ENDPOINT}", path_style: true}
        schema:
          key: [sensor, at]
          columns:
            - {name: sensor, type: long}
            - {name: at, type: timestamp}
            - {name: value, type: double}
        target: {type: dynamodb, endpoint: "${DYNAMODB_ENDPOINT}", table: TABLE, mode: upsert}
        """
            .replace("TABLE", table));
    aws.put("r.csv", "sensor,at,value\n7,2026-11-21 10:00:00,1.5\n7,2026-11-21 10:01:00,2.5\n");

    FileReport file = only(aws.run());

    assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    List<Map<String, AttributeValue>> rows =
        dynamoDb.scanPaginator(request -> request.tableName(table)).items().stream().toList();
    Map<String, String> values = new HashMap<>();
    rows.forEach(item -> values.put(item.get("at").s(), item.get("value").n()));
    assertThat(values).containsEntry("2026-11-21T10:00:00", "1.5");
    assertThat(rows.get(0).get("sensor").n()).isEqualTo("7");
  }
}
