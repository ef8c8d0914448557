package io.bucketload.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names from outside shown on one line. */
class OneLineTest {
  @Test
  void controlCharactersAreWrittenAsTheirEscapes() {
    assertThat(OneLine.of("a\nb\r\tc\u0007d\u0085.csv"))
        .isEqualTo("a\\nb\\r\\tc\\u0007d\\u0085.csv");
  }

  @Test
  void textWithoutControlCharactersIsTheSameString() {
    String name = "landing/2026-12-03 orders (é, 東京).csv";
    assertThat(OneLine.of(name)).isSameAs(name);
  }
}
