package io.bucketload.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time reading of digits agrees with reading them one byte at a time. */
class AsciiDigitsTest {
  /** One byte at a time: the value of up to 18 digits, or -1. */
  private static long expected(byte[] bytes, int start, int end) {
    long value = 0;
    for (int i = start; i < end; i++) {
      if (bytes[i] < '0' || bytes[i] > '9') {
        return -1;
      }
      value = value * 10 + (bytes[i] - '0');
    }
    return value;
  }

  @Test
  void everyByteAtEveryPositionOfUpToEighteenDigits() {
    for (int length = 0; length <= 18; length++) {
      for (int at = 0; at < Math.max(length, 1); at++) {
        for (int b = 0; b < 256; b++) {
          // Digits, one of them replaced, with bytes after them (digits too) that do not count.
          byte[] bytes = new byte[1 + length + 9];
          Arrays.fill(bytes, (byte) '7');
          for (int i = 0; i < length; i++) {
            bytes[1 + i] = (byte) ('1' + (i % 9));
          }
          if (length > 0) {
            bytes[1 + at] = (byte) b;
          }
          assertThat(AsciiDigits.value(bytes, 1, 1 + length))
              .as("length %d, byte %d at %d", length, b, at)
              .isEqualTo(expected(bytes, 1, 1 + length));
        }
      }
    }
  }

  @Test
  void randomDigitsAnywhereInAnArrayAlsoAtItsEnd() {
    Random random = new Random(20261204L);
    for (int n = 0; n < 200_000; n++) {
      int length = random.nextInt(19);
      byte[] bytes = new byte[length + random.nextInt(10)];
      random.nextBytes(bytes);
      int start = bytes.length == length ? 0 : random.nextInt(bytes.length - length + 1);
      for (int i = start; i < start + length; i++) {
        bytes[i] = random.nextInt(40) == 0 ? bytes[i] : (byte) ('0' + random.nextInt(10));
      }
      assertThat(AsciiDigits.value(bytes, start, start + length))
          .as("%s from %d to %d", Arrays.toString(bytes), start, start + length)
          .isEqualTo(expected(bytes, start, start + length));
    }
  }
}
