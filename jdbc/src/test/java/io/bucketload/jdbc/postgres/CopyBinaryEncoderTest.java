package io.bucketload.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.Fault;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.target.TargetColumn;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the binary COPY encoder refuses before anything reaches the server; what it sends is checked
 * against a real server in {@link PostgresLoadIT}.
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
