package io.bucketload.jdbc;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * How the values of a query's result become text in a CSV export: SQL's NULL is {@code null}, a
 * boolean is {@code true} or {@code false}, and the rest is the driver's text, or for dates and
 * times the database's own text forms ({@code 2024-03-02 06:00:00}, {@code 06:00:00.5}, {@code
 * 2024-03-02 04:00:00+00}) where the driver's text is Java's ({@code 2024-03-02 06:00:00.0}, {@code
 * 06:00}).
 */
public enum ResultText {
  /** The driver's text; PostgreSQL's driver passes on the server's own text forms. */
  DRIVER,
  /**
   * Timestamps and times read as {@code java.time} values and written as SQL writes them; decimals
   * written in plain digits ({@code 0.000000001}, where the driver's text is {@code 1E-9}); doubles
   * as DuckDB writes them ({@code 1e+20}, where the driver's text is {@code 1.0E20}).
   */
  SQL_TEMPORAL;

  /** Reads one column's value as text. */
  @FunctionalInterface
  interface ColumnText {
    /** The value at {@code column} (1-based) of the current row, or {@code null} for NULL. */
    String read(ResultSet result, int column) throws SQLException;
  }

  /** A reader for each column of {@code meta}, in order. */
  ColumnText[] columns(ResultSetMetaData meta) throws SQLException {
    ColumnText[] columns = new ColumnText[meta.getColumnCount()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = column(meta.getColumnType(i + 1));
    }
    return columns;
  }

  private ColumnText column(int sqlType) {
    if (sqlType == Types.BOOLEAN || sqlType == Types.BIT) {
      return (result, column) -> {
        boolean value = result.getBoolean(column);
        return result.wasNull() ? null : Boolean.toString(value);
      };
    }
    if (this == SQL_TEMPORAL) {
      switch (sqlType) {
        case Types.TIMESTAMP:
          return (result, column) -> {
            LocalDateTime value = result.getObject(column, LocalDateTime.class);
            return value == null ? null : timestamp(value);
          };
        case Types.TIMESTAMP_WITH_TIMEZONE:
          return (result, column) -> {
            OffsetDateTime value = result.getObject(column, OffsetDateTime.class);
            return value == null
                ? null
                : timestamp(value.toLocalDateTime()) + offset(value.getOffset());
          };
        case Types.TIME:
          return (result, column) -> {
            LocalTime value = result.getObject(column, LocalTime.class);
            return value == null ? null : time(value);
          };
        case Types.DECIMAL, Types.NUMERIC:
          return (result, column) -> {
            java.math.BigDecimal value = result.getBigDecimal(column);
            return value == null ? null : value.toPlainString();
          };
        case Types.DOUBLE:
          return (result, column) -> {
            double value = result.getDouble(column);
            return result.wasNull() ? null : floating(value, Double.toString(value));
          };
        case Types.FLOAT, Types.REAL:
          return (result, column) -> {
            float value = result.getFloat(column);
            return result.wasNull() ? null : floating(value, Float.toString(value));
          };
        default:
          break;
      }
    }
    return ResultSet::getString;
  }

  /** The magnitudes a floating-point number is written in plain digits from, and below. */
  private static final java.math.BigDecimal PLAIN_FROM = new java.math.BigDecimal("0.0001");

  private static final java.math.BigDecimal PLAIN_BELOW = new java.math.BigDecimal("1E16");

  /**
   * A floating-point number as DuckDB writes it: plain digits from 0.0001 to below 10^16 ({@code
   * 100.0}, {@code 0.0001}), else a mantissa and a signed exponent of two digits or more ({@code
   * 1e+20}, {@code 1.5e-07}); {@code nan}, {@code inf}, {@code -inf}. Java would write {@code
   * 1.0E20} and {@code 1.0E-4}.
   *
   * @param javaText the value as Java writes it, with the fewest digits that read back as it
   */
  static String floating(double value, String javaText) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return javaText.startsWith("-") ? "-0.0" : "0.0";
    }
    java.math.BigDecimal digits = new java.math.BigDecimal(javaText).stripTrailingZeros();
    java.math.BigDecimal magnitude = digits.abs();
    if (magnitude.compareTo(PLAIN_FROM) >= 0 && magnitude.compareTo(PLAIN_BELOW) < 0) {
      String plain = digits.toPlainString();
      return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }
    int exponent = digits.precision() - digits.scale() - 1;
    return digits.movePointLeft(exponent).toPlainString()
        + (exponent < 0 ? "e-" : "e+")
        + (Math.abs(exponent) < 10 ? "0" : "")
        + Math.abs(exponent);
  }

  /** {@code 2024-03-02 06:00:00}, with a fraction of a second only when there is one. */
  static String timestamp(LocalDateTime value) {
    return date(value.toLocalDate()) + ' ' + time(value.toLocalTime());
  }

  private static String date(LocalDate value) {
    return value.toString();
  }

  /** {@code 06:00:00}, {@code 06:00:00.5}: seconds always, the fraction without trailing zeros. */
  static String time(LocalTime value) {
    StringBuilder text = new StringBuilder(18);
    twoDigits(text, value.getHour()).append(':');
    twoDigits(text, value.getMinute()).append(':');
    twoDigits(text, value.getSecond());
    int nanos = value.getNano();
    if (nanos != 0) {
      String fraction = Integer.toString(1_000_000_000 + nanos).substring(1);
      int end = fraction.length();
      while (fraction.charAt(end - 1) == '0') {
        end--;
      }
      text.append('.').append(fraction, 0, end);
    }
    return text.toString();
  }

  /** {@code +00}, {@code +05:30}, {@code -03}. */
  static String offset(ZoneOffset offset) {
    int seconds = offset.getTotalSeconds();
    StringBuilder text = new StringBuilder(6).append(seconds < 0 ? '-' : '+');
    int absolute = Math.abs(seconds);
    twoDigits(text, absolute / 3600);
    if (absolute % 3600 != 0) {
      twoDigits(text.append(':'), absolute % 3600 / 60);
    }
    return text.toString();
  }

  private static StringBuilder twoDigits(StringBuilder text, int value) {
    return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
