package io.bucketload.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DynamoDB target's {@code max_concurrency}: per kind of request by default, or as set. */
class DynamoDbTargetOptionsTest {
  private static DynamoDbTargetFactory.Options options(Map<String, String> values) {
    return DynamoDbTargetFactory.options(
        new Settings("target", values, Map.of("max_concurrency", 7), "p.yaml", Path.of(".")));
  }

  @Test
  void batchesDefaultToSixteenRequestsAndSingleItemsToSixtyFour() {
    DynamoDbTargetFactory.Options options = options(Map.of());

    assertThat(options.concurrencyFor(DynamoDbWriter.Operation.PUT)).isEqualTo(16);
    assertThat(options.concurrencyFor(DynamoDbWriter.Operation.DELETE)).isEqualTo(16);
    assertThat(options.concurrencyFor(DynamoDbWriter.Operation.PUT_IF_NEW)).isEqualTo(64);
    assertThat(options.concurrencyFor(DynamoDbWriter.Operation.MERGE)).isEqualTo(64);
  }

  @Test
  void aSetMaximumHoldsForEveryKind() {
    DynamoDbTargetFactory.Options options = options(Map.of("max_concurrency", "8"));

    for (DynamoDbWriter.Operation operation : DynamoDbWriter.Operation.values()) {
      assertThat(options.concurrencyFor(operation)).as(operation.name()).isEqualTo(8);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "257", "many", ""})
  void aMaximumOutOfRangeIsRefusedNamingTheFileLineAndKey(String value) {
    assertThatThrownBy(() -> options(Map.of("max_concurrency", value)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "p.yaml line 7: target.max_concurrency: expected a whole number from 1 to 256, found '"
                + value
                + "'");
  }
}
