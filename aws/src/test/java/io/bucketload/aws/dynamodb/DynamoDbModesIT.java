package io.bucketload.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.aws.LocalAws;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.ModeContract;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The load modes' contract on DynamoDB Local: {@code replace} is refused when the pipeline is
 * checked, and upserts count rows written, not inserted and updated apart.
 */
class DynamoDbModesIT extends ModeContract {
  private final DynamoDbClient dynamoDb = LocalAws.dynamoDb();

  @Override
  protected String target(String table, LoadMode mode) {
    return "target: {type: dynamodb, endpoint: \""
        + LocalAws.dynamoDbEndpoint()
        + "\", table: "
        + table
        + ", mode: "
        + mode.configName()
        + "}\n";
  }

  @Override
  protected PipelineSpec read(Path pipeline) {
    return PipelineSetup.read(pipeline);
  }

  @Override
  protected boolean supports(LoadMode mode) {
    return mode != LoadMode.REPLACE;
  }

  @Override
  protected boolean countsChanges() {
    return false;
  }

  @Override
  protected List<String> rows(String table) {
    return dynamoDb
        .scanPaginator(request -> request.tableName(table).consistentRead(true))
        .items()
        .stream()
        .sorted(Comparator.comparingLong(item -> Long.parseLong(item.get("id").n())))
        .map(DynamoDbModesIT::row)
        .toList();
  }

  private static String row(Map<String, AttributeValue> item) {
    AttributeValue name = item.get("name");
    return item.get("id").n() + "|" + (name == null ? "null" : name.s());
  }

  @Test
  void mergeKeepsTheAttributesTheFileLacksAndAnEmptyValueRemovesItsAttribute() throws Exception {
    String table = table("merge_keeps");
    assertThat(load(table, LoadMode.MERGE, "a.csv", "1,a\n2,b\n").status())
        .isEqualTo(FileStatus.LOADED);
    dynamoDb.updateItem(
        request ->
            request
                .tableName(table)
                .key(Map.of("id", AttributeValue.fromN("1")))
                .updateExpression("SET vip = :vip")
                .expressionAttributeValues(Map.of(":vip", AttributeValue.fromBool(true))));

    FileReport merged = load(table, LoadMode.MERGE, "b.csv", "1,A\n2,\n");

    assertThat(merged.updated()).hasValue(2);
    Map<String, AttributeValue> first = item(table, 1);
    assertThat(first.get("name").s()).isEqualTo("A");
    assertThat(first.get("vip").bool()).as("kept: not in the file").isTrue();
    assertThat(item(table, 2)).as("the empty name removed").doesNotContainKey("name");
  }

  private Map<String, AttributeValue> item(String table, long id) {
    return dynamoDb
        .getItem(
            request ->
                request
                    .tableName(table)
                    .key(Map.of("id", AttributeValue.fromN(Long.toString(id))))
                    .consistentRead(true))
        .item();
  }
}
