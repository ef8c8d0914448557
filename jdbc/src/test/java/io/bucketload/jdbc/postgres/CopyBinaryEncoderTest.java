package io.bucketload.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.Fault;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.target.TargetColumn;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the binary COPY encoder refuses before anything reaches the server, and the numerics it
 * writes read back by PostgreSQL's rules; what it sends is checked against a real server in {@link
 * PostgresLoadIT}.
 */
class CopyBinaryEncoderTest {
  private static CopyBinaryEncoder encoder(ColumnType type) {
    return new CopyBinaryEncoder(
        List.of(new TargetColumn("n", type, type == ColumnType.DECIMAL ? 38 : 0, 0, true)), 0, 64);
  }

  @Test
  void aValueOfAnotherTypeThanItsColumnFailsNamingFileLineAndColumn() {
    assertThatThrownBy(() -> encoder(ColumnType.INT).row(new Object[] {5L}, 3, "f.csv"))
        .isInstanceOfSatisfying(
            TargetException.class, e -> assertThat(e.fault()).isEqualTo(Fault.DATA))
        .hasMessage("f.csv line 3: column n is int but its value is a Long");
  }

  @Test
  void everyNumericReadsBackAsItsValueAndScale() {
    Random random = new Random(20261204L);
    List<BigDecimal> values = new ArrayList<>();
    for (String fixed :
        new String[] {
          "0",
          "0.00",
          "1",
          "-1",
          "9999",
          "10000",
          "0.0001",
          "-0.00001",
          "123456789012345",
          "-999999999999999",
          "1234567890123456",
          "99999999999999.9",
          "0.000000000000001",
          "1E+5",
          "-7E+3",
          "12345678901234567890.123456789",
          "86781.81",
          "-0.50"
        }) {
      values.add(new BigDecimal(fixed));
    }
    for (int i = 0; i < 20_000; i++) {
      int digits = 1 + random.nextInt(i % 2 == 0 ? 15 : 30);
      StringBuilder unscaled = new StringBuilder(random.nextBoolean() ? "-" : "");
      for (int d = 0; d < digits; d++) {
        unscaled.append((char) ('0' + random.nextInt(10)));
      }
      values.add(new BigDecimal(new java.math.BigInteger(unscaled.toString()), random.nextInt(12)));
    }
    CopyBinaryEncoder encoder = encoder(ColumnType.DECIMAL);
    for (BigDecimal value : values) {
      encoder.clear();
      encoder.row(new Object[] {value}, 1, "f.csv");
      ByteBuffer row = ByteBuffer.wrap(encoder.buffer(), 0, encoder.size());
      assertThat(row.getShort()).isEqualTo((short) 1);
      BigDecimal expected = value.scale() < 0 ? value.setScale(0) : value;
      assertThat(readNumeric(row)).as(value.toString()).isEqualTo(expected);
      assertThat(row.hasRemaining()).isFalse();
    }
  }

  /** A binary numeric as PostgreSQL reads it: length, digits, weight, sign, scale, digits. */
  private static BigDecimal readNumeric(ByteBuffer in) {
    int length = in.getInt();
    int count = in.getShort();
    int weight = in.getShort();
    int sign = in.getShort() & 0xFFFF;
    int scale = in.getShort();
    assertThat(length).isEqualTo(8 + 2 * count);
    BigDecimal value = BigDecimal.ZERO;
    for (int i = 0; i < count; i++) {
      int digit = in.getShort();
      assertThat(digit).isBetween(0, 9999);
      assertThat(i == count - 1 && digit == 0).as("a trailing zero digit is sent").isFalse();
      value = value.add(BigDecimal.valueOf(digit).scaleByPowerOfTen(4 * (weight - i)));
    }
    assertThat(sign).isIn(0, 0x4000);
    assertThat(count == 0 && sign != 0).as("zero is positive").isFalse();
    return (sign == 0x4000 ? value.negate() : value).setScale(scale);
  }

  @Test
  void aNumberBeyondPostgresqlsNumericFailsNamingItsLine() {
    CopyBinaryEncoder numeric = encoder(ColumnType.DECIMAL);
    assertThatThrownBy(() -> numeric.row(new Object[] {new BigDecimal("1E+200000")}, 7, "f.csv"))
        .isInstanceOf(TargetException.class)
        .hasMessageStartingWith("f.csv line 7: ")
        .hasMessageEndingWith("is out of range for PostgreSQL's numeric");
    assertThatThrownBy(() -> numeric.row(new Object[] {new BigDecimal("1E-20000")}, 8, "f.csv"))
        .hasMessageStartingWith("f.csv line 8: ");
    int before = numeric.size();
    numeric.row(new Object[] {new BigDecimal("1E+100000")}, 9, "f.csv");
    assertThat(numeric.size()).isGreaterThan(before);
  }
}
