package io.bucketload.core.infer;

import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.schema.ValueParsers;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What one column's values allow, narrowed value by value. Not thread-safe. */
final class ColumnProfile {
  static final List<String> DATE_FORMATS =
      List.of("yyyy-MM-dd", "dd-MM-yyyy", "dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "yyyy/MM/dd");

  private final String name;
  private boolean maybeBoolean = true;
  private boolean maybeInt = true;
  private boolean maybeLong = true;
  private boolean maybeDecimal = true;
  private boolean maybeDouble = true;
  private boolean maybeTimestamp = true;
  private final List<String> dateFormats = new ArrayList<>(DATE_FORMATS);
  private final List<DateTimeFormatter> dateFormatters = new ArrayList<>();
  private int integerDigits;
  private int scale;
  private long values;
  private long nulls;

  ColumnProfile(String name) {
    this.name = name;
    for (String format : DATE_FORMATS) {
      dateFormatters.add(ValueParsers.formatter(format));
    }
  }

  void accept(String value) {
    if (value == null || value.isEmpty()) {
      nulls++;
      return;
    }
    values++;
    if (maybeBoolean) {
      maybeBoolean =
          switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "false", "t", "f", "yes", "no", "y", "n" -> true;
            default -> false;
          };
    }
    boolean leadingZero =
        value.length() > 1 && value.charAt(0) == '0' && value.charAt(1) != '.'
            || value.startsWith("+")
            || value.startsWith("-0") && value.length() > 2 && value.charAt(2) != '.';
    if (leadingZero) {
      maybeInt = maybeLong = maybeDecimal = maybeDouble = false;
    }
    if (maybeInt || maybeLong) {
      try {
        long parsed = Long.parseLong(value);
        maybeInt = maybeInt && parsed >= Integer.MIN_VALUE && parsed <= Integer.MAX_VALUE;
      } catch (NumberFormatException e) {
        maybeInt = maybeLong = false;
      }
    }
    if (maybeDecimal) {
      maybeDecimal = acceptDecimal(value);
    }
    if (maybeDouble) {
      try {
        ValueParsers.forColumn(
                new ColumnSpec(name, ColumnType.DOUBLE, Optional.empty(), false, 0, 0))
            .parse(value);
      } catch (io.bucketload.core.schema.ValueRejected e) {
        maybeDouble = false;
      }
    }
    for (int i = dateFormats.size() - 1; i >= 0; i--) {
      try {
        LocalDate.parse(value, dateFormatters.get(i));
      } catch (DateTimeParseException e) {
        dateFormats.remove(i);
        dateFormatters.remove(i);
      }
    }
    if (maybeTimestamp) {
      try {
        ValueParsers.forColumn(
                new ColumnSpec(name, ColumnType.TIMESTAMP, Optional.empty(), false, 0, 0))
            .parse(value);
      } catch (io.bucketload.core.schema.ValueRejected e) {
        maybeTimestamp = false;
      }
    }
  }

  private boolean acceptDecimal(String value) {
    int start = value.startsWith("-") ? 1 : 0;
    int point = value.indexOf('.');
    int digitsBefore = (point < 0 ? value.length() : point) - start;
    int digitsAfter = point < 0 ? 0 : value.length() - point - 1;
    for (int i = start; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9') && i != point) {
        return false;
      }
    }
    if (digitsBefore + digitsAfter == 0) {
      return false;
    }
    integerDigits = Math.max(integerDigits, digitsBefore);
    scale = Math.max(scale, digitsAfter);
    return integerDigits + scale <= 38;
  }

  /** The narrowest column every value seen fits; text when nothing narrower fits. */
  ColumnSpec column(boolean required) {
    if (values == 0) {
      return ColumnSpec.text(name, required);
    }
    if (maybeBoolean) {
      return spec(ColumnType.BOOLEAN, Optional.empty(), required, 0, 0);
    }
    if (maybeInt) {
      return spec(ColumnType.INT, Optional.empty(), required, 0, 0);
    }
    if (maybeLong) {
      return spec(ColumnType.LONG, Optional.empty(), required, 0, 0);
    }
    if (maybeDecimal) {
      int precision = integerDigits + scale <= 18 ? 18 : 38;
      return spec(ColumnType.DECIMAL, Optional.empty(), required, precision, scale);
    }
    if (maybeDouble) {
      return spec(ColumnType.DOUBLE, Optional.empty(), required, 0, 0);
    }
    if (!dateFormats.isEmpty()) {
      String format = dateFormats.get(0);
      return spec(
          ColumnType.DATE,
          format.equals("yyyy-MM-dd") ? Optional.empty() : Optional.of(format),
          required,
          0,
          0);
    }
    if (maybeTimestamp) {
      return spec(ColumnType.TIMESTAMP, Optional.empty(), required, 0, 0);
    }
    return ColumnSpec.text(name, required);
  }

  private ColumnSpec spec(
      ColumnType type, Optional<String> format, boolean required, int precision, int scale) {
    return new ColumnSpec(name, type, format, required, precision, scale);
  }

  /** Whether a date format other than the first surviving one also fits (ambiguous days/months). */
  List<String> dateFormats() {
    return List.copyOf(dateFormats);
  }

  long nulls() {
    return nulls;
  }

  long values() {
    return values;
  }
}
