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
}
