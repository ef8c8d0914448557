package io.bucketload.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RejectLimitTest {
  @Test
  void aLimitIsShownAsItIsWritten() {
    assertThat(RejectLimit.percentage(0.0001)).hasToString("0.0001%");
    assertThat(RejectLimit.percentage(2.5)).hasToString("2.5%");
    assertThat(RejectLimit.percentage(5)).hasToString("5%");
    assertThat(RejectLimit.percentage(100)).hasToString("100%");
    assertThat(RejectLimit.percentage(0)).hasToString("0%");
    assertThat(RejectLimit.count(12)).hasToString("12");
  }
}
