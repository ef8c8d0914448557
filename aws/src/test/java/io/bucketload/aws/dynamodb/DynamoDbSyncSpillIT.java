package io.bucketload.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.aws.LocalAws;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.TargetColumn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@code sync} on DynamoDB Local with the file's keys spilled to disk, as a file of more keys than
 * {@link FileKeys#IN_MEMORY} has them: the items whose key the file lacks are deleted, and only
 * those.
 */
class DynamoDbSyncSpillIT {
  private final DynamoDbClient client = LocalAws.dynamoDb();

  @Test
  void aSyncWhoseKeysSpillDeletesExactlyTheKeysTheFileLacks() {
    String table = "sync_spill_" + System.nanoTime();
    DynamoDbTables.ensure(
        client,
        table,
        List.of(new DynamoDbTables.KeyAttribute("id", ScalarAttributeType.N, KeyType.HASH)),
        true);
    // The table before: ids 1 to 600. The file: ids 301 to 900, so 1 to 300 are absent.
    for (long from = 1; from <= 600; from += 25) {
      List<WriteRequest> puts = new ArrayList<>();
      for (long id = from; id < from + 25; id++) {
        long key = id;
        puts.add(
            WriteRequest.builder()
                .putRequest(
                    put ->
                        put.item(
                            Map.of(
                                "id", AttributeValue.fromN(Long.toString(key)),
                                "name", AttributeValue.fromS("old " + key))))
                .build());
      }
      client.batchWriteItem(request -> request.requestItems(Map.of(table, puts)));
    }
    DynamoDbTarget target =
        new DynamoDbTarget(
            client,
            client,
            null,
            new DynamoDbTargetFactory.Options(
                Optional.of(LocalAws.dynamoDbEndpoint().toString()),
                "unused_ledger",
                Duration.ofMinutes(5),
                OptionalInt.of(8),
                0,
                false));
    FileKeys keys = new FileKeys(table, 100 * FileKeys.footprint("300"), 16);
    DynamoDbTableLoad load = new DynamoDbTableLoad(target, plan(table), () -> false, keys);
    RowChunk chunk = new RowChunk(1_000);
    for (long id = 301; id <= 900; id++) {
      chunk.add(new Object[] {id, "new " + id}, id + 1);
    }

    load.write(chunk);
    LoadCounts counts = load.finish();

    assertThat(keys.spilled()).as("600 keys over a bound of 100").isTrue();
    assertThat(counts.deleted()).hasValue(300);
    List<Long> ids =
        client
            .scanPaginator(request -> request.tableName(table).consistentRead(true))
            .items()
            .stream()
            .map(item -> Long.parseLong(item.get("id").n()))
            .sorted()
            .toList();
    assertThat(ids).isEqualTo(LongStream.rangeClosed(301, 900).boxed().toList());
  }

  private static LoadPlan plan(String table) {
    return new LoadPlan(
        "spill",
        "run-1",
        new FileVersion("keys.csv", 100, "sum"),
        table,
        LoadMode.SYNC,
        List.of(
            new TargetColumn("id", ColumnType.LONG, 0, 0, false),
            new TargetColumn("name", ColumnType.STRING, 0, 0, true)),
        List.of("id"),
        true,
        "");
  }
}
