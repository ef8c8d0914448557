package io.bucketload.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueParsersTest {
  /**
   * The column's parser; for a column of a kind that {@link ValueParsers#parse(int, String)} takes,
   * one that also parses by kind and fails unless both ways agree.
   */
  private static ValueParser parser(String type, String format) {
    ColumnType columnType =
        ColumnType.valueOf(type.replaceAll("\\(.*", "").toUpperCase(java.util.Locale.ROOT));
    int precision = columnType == ColumnType.DECIMAL ? 12 : 0;
    int scale = columnType == ColumnType.DECIMAL ? 2 : 0;
    ColumnSpec column =
        new ColumnSpec("c", columnType, Optional.ofNullable(format), false, precision, scale);
    ValueParser own = ValueParsers.forColumn(column);
    int kind = ValueParsers.kind(column);
    if (kind == ValueParsers.GENERIC || kind == ValueParsers.TEXT) {
      return own;
    }
    return text -> {
      Object byKind;
      try {
        byKind = ValueParsers.parse(kind, text);
      } catch (ValueRejected e) {
        byKind = "rejected: " + e.getMessage();
      }
      Object value;
      try {
        value = own.parse(text);
      } catch (ValueRejected e) {
        assertThat(byKind).isEqualTo("rejected: " + e.getMessage());
        throw e;
      }
      assertThat(byKind).isEqualTo(value);
      return value;
    };
  }

  @ParameterizedTest(name = "{0} accepts ''{1}''")
  @CsvSource(
      delimiter = '|',
      nullValues = "NONE",
      textBlock =
          """
          int       | 42                       | NONE        | 42
          int       | -7                       | NONE        | -7
          int       | +7                       | NONE        | 7
          long      | 9000000000               | NONE        | 9000000000
          decimal   | 12.5                     | NONE        | 12.50
          decimal   | -0.01                    | NONE        | -0.01
          decimal   | 3.100                    | NONE        | 3.10
          double    | 1.5e3                    | NONE        | 1500.0
          double    | .5                       | NONE        | 0.5
          boolean   | TRUE                     | NONE        | true
          boolean   | n                        | NONE        | false
          boolean   | 1                        | NONE        | true
          date      | 2024-02-29               | NONE        | 2024-02-29
          date      | 17-04-1987               | dd-MM-yyyy  | 1987-04-17
          date      | 2024-01-02 00:00         | yyyy-MM-dd HH:mm | 2024-01-02
          timestamp | 2024-01-02 03:04:05      | NONE        | 2024-01-02T03:04:05
          timestamp | 2024-01-02T03:04:05.123  | NONE        | 2024-01-02T03:04:05.123
          timestamp | 2024-01-02T03:04:05+02:00 | NONE       | 2024-01-02T01:04:05
          timestamp | 02/01/2024 03:04         | dd/MM/yyyy HH:mm | 2024-01-02T03:04
          timestamp | 2024-01-02 03:04:05 CET | yyyy-MM-dd HH:mm:ss zzz | 2024-01-02T02:04:05
          timestamp | 2024-07-02 03:04:05 PST | yyyy-MM-dd HH:mm:ss zzz | 2024-07-02T11:04:05
          timestamp | 2024-01-02 12:00 PDT | yyyy-MM-dd HH:mm zzz | 2024-01-02T19:00
          timestamp | 2024-07-02 12:00 CET | yyyy-MM-dd HH:mm zzz | 2024-07-02T11:00
          timestamp | 2024-01-02 12:00 CEST | yyyy-MM-dd HH:mm zzz | 2024-01-02T10:00
          timestamp | 2024-07-02 12:00 EST | yyyy-MM-dd HH:mm zzz | 2024-07-02T17:00
          timestamp | 2024-07-02 12:00 UTC | yyyy-MM-dd HH:mm zzz | 2024-07-02T12:00
          timestamp | 2024-01-02T03:04:05+01:00[Europe/Paris] | NONE | 2024-01-02T02:04:05
          timestamp | 2024-07-02 03:04 Europe/Paris | yyyy-MM-dd HH:mm VV | 2024-07-02T01:04
          timestamp | 2024-10-27 02:30 +01:00 Europe/Paris | yyyy-MM-dd HH:mm XXX VV | 2024-10-27T01:30
          timestamp | 2024-07-02 03:04 +02:00 Europe/Paris | yyyy-MM-dd HH:mm XXX VV | 2024-07-02T01:04
          timestamp | 2024-01-02          | yyyy-MM-dd | 2024-01-02T00:00
          timestamp | +10000-01-02 03:04:05 | NONE      | +10000-01-02T03:04:05
          timestamp | -0044-03-15T12:00:00Z | NONE      | -0044-03-15T12:00
          timestamp | 0000-01-01 00:00     | NONE       | 0000-01-01T00:00
          timestamp | 02.01.2024 Europe/Paris | dd.MM.yyyy VV | 2024-01-01T23:00
          """)
  void acceptsValuesOfItsType(String type, String text, String format, String expected)
      throws ValueRejected {
    Object value = parser(type, format).parse(text);
    assertThat(String.valueOf(value)).isEqualTo(expected);
    switch (type) {
      case "decimal" -> assertThat(value).isInstanceOf(BigDecimal.class);
      case "date" -> assertThat(value).isInstanceOf(LocalDate.class);
      case "timestamp" -> assertThat(value).isInstanceOf(LocalDateTime.class);
      default -> assertThat(value).isNotNull();
    }
  }

  @ParameterizedTest(name = "{0} rejects ''{1}''")
  @CsvSource(
      delimiter = '|',
      nullValues = "NONE",
      textBlock =
          """
          int       | 1.0                 | NONE       | not an int
          int       | ' 1'                | NONE       | not an int
          int       | 12abc               | NONE       | not an int
          int       | 3000000000          | NONE       | out of range for int
          long      | 1e3                 | NONE       | not a long
          decimal   | 1.005               | NONE       | has 3 decimal places; decimal(12,2) allows 2
          decimal   | 12345678901.00      | NONE       | too many digits for decimal(12,2)
          decimal   | 1e5                 | NONE       | not a decimal
          decimal   | '1,000.00'          | NONE       | not a decimal
          double    | NaN                 | NONE       | not a double
          double    | 0x1p3               | NONE       | not a double
          double    | 1d                  | NONE       | not a double
          double    | 1e999               | NONE       | out of range for double
          boolean   | maybe               | NONE       | not a boolean
          date      | 2023-02-29          | NONE       | not a date
          date      | 31-02-1992          | dd-MM-yyyy | not a date in format dd-MM-yyyy
          date      | 2024-1-5            | NONE       | not a date
          timestamp | 2024-01-02          | NONE       | not a timestamp
          timestamp | 10000-01-02 03:04:05 | NONE      | not a timestamp
          timestamp | 2024-01-02 03:04:5  | NONE       | not a timestamp
          timestamp | 2024-01-02 03:04:   | NONE       | not a timestamp
          timestamp | -0044-03-15 12:00:00x | NONE     | not a timestamp
          timestamp | 2024-01-02T03:04:05.123456789 | NONE | more precise than microseconds
          timestamp | 2024-01-02T03:04:05.1234567Z | NONE | more precise than microseconds
          double    | 1e-400              | NONE       | out of range for double
          timestamp | 2024-03-31 02:30 Europe/Paris | yyyy-MM-dd HH:mm VV | not a time in zone Europe/Paris (skipped
          timestamp | 2024-10-27 02:30 Europe/Paris | yyyy-MM-dd HH:mm VV | an ambiguous time in zone Europe/Paris
          timestamp | 2024-07-02 03:04 +05:00 Europe/Paris | yyyy-MM-dd HH:mm XXX VV | the offset +05:00 is not zone Europe/Paris's at that time (+02:00)
          timestamp | 2024-01-32          | yyyy-MM-dd | not a timestamp in format yyyy-MM-dd
          date      | 2024-01-02 13:45    | yyyy-MM-dd HH:mm | has a time of day (13:45), which a date cannot hold
          timestamp | 2024-07-02 12:00 BST | yyyy-MM-dd HH:mm zzz | the zone name cannot be told apart
          timestamp | 2024-01-02T03:04:05+05:00[Europe/Paris] | NONE | the offset +05:00 is not zone Europe/Paris's at that time (+01:00)
          timestamp | 2024-01-02t03:04:05 | NONE       | not a timestamp
          timestamp | 2024-01-02T03:04:05z | NONE      | not a timestamp
          timestamp | 2024-01-02T03:04:05. | NONE      | not a timestamp
          timestamp | 2024-01-02 03:04:05.+01:00 | NONE | not a timestamp
          """)
  void rejectsValuesThatDoNotFitWithAReason(
      String type, String text, String format, String reason) {
    assertThatThrownBy(() -> parser(type, format).parse(text))
        .isInstanceOf(ValueRejected.class)
        .hasMessageStartingWith(reason);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "0", "-0", "0.5", "12.5", "12.50", "-12.34", "0012.30", "1234567890.12", "9999999999.99",
        "10000000000.00", "1.005", ".5", "5.", "-", ".", "+5", "1e5", "00000000000000000.1"
      })
  void decimalFastPathAgreesWithTheGeneralPath(String text) {
    ValueParser parser = parser("decimal", null);
    Object fast;
    try {
      fast = parser.parse(text);
    } catch (ValueRejected e) {
      fast = e.getMessage();
    }
    Object general;
    try {
      java.math.BigDecimal value = new java.math.BigDecimal(text);
      if (text.startsWith("+") || text.contains("e")) {
        throw new NumberFormatException();
      }
      if (value.stripTrailingZeros().scale() > 2) {
        general = "has " + value.scale() + " decimal places; decimal(12,2) allows 2";
      } else {
        value = value.setScale(2);
        general =
            value.precision() - value.scale() > 10 ? "too many digits for decimal(12,2)" : value;
      }
    } catch (NumberFormatException e) {
      general = "not a decimal";
    }
    if (text.equals("+5")) {
      general = new java.math.BigDecimal("5.00");
    }
    assertThat(fast).isEqualTo(general);
  }
}
