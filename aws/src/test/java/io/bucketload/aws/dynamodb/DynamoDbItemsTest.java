package io.bucketload.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DynamoDbItemsTest {
  @Test
  void countsUtf8BytesAsTheEncoderDoes() {
    for (String text : new String[] {"", "plain", "café", "€ 5", "emoji 😀!"}) {
      assertThat(DynamoDbItems.utf8Length(text))
          .as(text)
          .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void aDoubleOfMagnitudeTenToThe126IsOutOfDynamoDbsRangeAndTheOneBelowIsNot() {
    DynamoDbItems items =
        new DynamoDbItems(
            new io.bucketload.core.target.LoadPlan(
                "p",
                "run",
                new io.bucketload.core.source.FileVersion("a.csv", 1, "sha256:00"),
                "t",
                io.bucketload.core.target.LoadMode.APPEND,
                java.util.List.of(
                    new io.bucketload.core.target.TargetColumn(
                        "k", io.bucketload.core.schema.ColumnType.STRING, 0, 0, false),
                    new io.bucketload.core.target.TargetColumn(
                        "f", io.bucketload.core.schema.ColumnType.DOUBLE, 0, 0, true)),
                java.util.List.of("k"),
                false,
                ""));

    for (double refused : new double[] {1e126, -1e126, 1.5e126, 1e-131}) {
      assertThat(items.check(new Object[] {"a", refused}))
          .as("%s", refused)
          .hasValueSatisfying(violation -> assertThat(violation.column()).isEqualTo("f"));
    }
    for (double taken : new double[] {Math.nextDown(1e126), -Math.nextDown(1e126), 1e-130, 0}) {
      assertThat(items.check(new Object[] {"a", taken})).as("%s", taken).isEmpty();
    }
  }
}
