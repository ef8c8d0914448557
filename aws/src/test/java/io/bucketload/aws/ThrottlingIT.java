package io.bucketload.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.run.FileReport;
import io.bucketload.core.target.FileStatus;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ThrottlingIT {
  @TempDir Path folder;

  /** A pipeline that writes {@code id, payload} rows through the proxy in {@code mode}. */
  private AwsPipeline pipeline(String name, String table, ThrottlingProxy proxy, String mode) {
    return new AwsPipeline(folder)
        .idPayloadPipeline(
            name, "endpoint: %s, table: %s, mode: %s".formatted(proxy.endpoint(), table, mode));
  }

  @Test
  void throttledAndHalfProcessedBatchesLoseNoItem() throws Exception {
    String table = AwsPipeline.table("throttled");
    try (ThrottlingProxy proxy = new ThrottlingProxy(LocalAws.dynamoDbEndpoint())) {
      AwsPipeline aws = pipeline("throttled", table, proxy, "upsert");
      StringBuilder csv = new StringBuilder("id,payload\n");
      for (int i = 0; i < 3000; i++) {
        csv.append(i).append(",row ").append(i).append('\n');
      }
      aws.put("big.csv", csv.toString());

      FileReport file = aws.run().files().get(0);

      assertThat(file.status()).isEqualTo(FileStatus.LOADED);
      assertThat(file.rowsLoaded()).isEqualTo(3000);
      assertThat(proxy.refused()).isGreaterThan(10);
      assertThat(proxy.partial()).isGreaterThan(10);
    }
    DynamoDbClient dynamoDb = LocalAws.dynamoDb();
    Set<String> ids = new HashSet<>();
    for (var item : dynamoDb.scanPaginator(request -> request.tableName(table)).items()) {
      AttributeValue id = item.get("id");
      assertThat(item.get("payload").s()).isEqualTo("row " + id.n());
      ids.add(id.n());
    }
    assertThat(ids).hasSize(3000);
  }

  @Test
  void throttledMergeUpdatesAreRetriedAndLoseNoItem() throws Exception {
    String table = AwsPipeline.table("throttled_merge");
    try (ThrottlingProxy proxy = new ThrottlingProxy(LocalAws.dynamoDbEndpoint())) {
      AwsPipeline aws = pipeline("throttled_merge", table, proxy, "merge");
      StringBuilder csv = new StringBuilder("id,payload\n");
      for (int i = 0; i < 200; i++) {
        csv.append(i).append(",row ").append(i).append('\n');
      }
      aws.put("merge.csv", csv.toString());

      FileReport file = aws.run().files().get(0);

      assertThat(file.status()).as(file.error().orElse("")).isEqualTo(FileStatus.LOADED);
      assertThat(file.inserted()).hasValue(200);
      assertThat(proxy.refusedUpdates()).isGreaterThan(20);
    }
    long items =
        LocalAws.dynamoDb()
            .scanPaginator(request -> request.tableName(table).select("COUNT"))
            .stream()
            .mapToLong(page -> page.count())
            .sum();
    assertThat(items).isEqualTo(200);
  }
}
