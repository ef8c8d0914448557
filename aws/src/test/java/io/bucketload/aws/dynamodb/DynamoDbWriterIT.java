package io.bucketload.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.aws.LocalAws;
import io.bucketload.core.error.TargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The writer against DynamoDB Local: what it sends once its claim may be another worker's. */
class DynamoDbWriterIT {
  private final DynamoDbClient client = LocalAws.dynamoDb();

  @Test
  void aWriterWhoseClaimMayBeLostSendsNothingMoreAndFails() {
    String table = "writer_" + System.nanoTime();
    DynamoDbTables.ensure(
        client,
        table,
        List.of(
            new DynamoDbTables.KeyAttribute(
                "id",
                software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S,
                software.amazon.awssdk.services.dynamodb.model.KeyType.HASH)),
        true);
    AtomicBoolean lost = new AtomicBoolean();
    DynamoDbWriter writer =
        new DynamoDbWriter(
            client,
            table,
            DynamoDbWriter.Operation.PUT,
            List.of("id"),
            2,
            new AdaptiveConcurrency(4),
            new WriteRate(0),
            Backoff.WRITES,
            "test-writer");
    writer.stopWhen(lost::get);
    // As after a pause past the lease: the queued items are not sent.
    lost.set(true);

    // The failure shows at the next submit or at the end, whichever comes first.
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 100; i++) {
                writer.submit("k" + i, Map.of("id", AttributeValue.fromS("k" + i)), i + 2);
              }
              writer.finish();
            })
        .isInstanceOf(TargetException.class)
        .hasMessageContaining("its lease ran out");
    assertThat(client.scan(request -> request.tableName(table)).count()).isZero();
  }
}
