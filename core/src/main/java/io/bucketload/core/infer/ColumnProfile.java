package io.bucketload.core.infer;

import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.schema.ValueParser;
import io.bucketload.core.schema.ValueParsers;
import io.bucketload.core.schema.ValueRejected;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one column's values allow, value by value: for each candidate type, how many values do not
 * fit it and the first of them. A type that fits every value wins; failing that, one that fits
 * almost every value ({@link #NEAR_FIT_SHARE}), whose misfits the user is shown. Not thread-safe.
 */
final class ColumnProfile {
  static final List<String> DATE_FORMATS =
      List.of("yyyy-MM-dd", "dd-MM-yyyy", "dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "yyyy/MM/dd");

  /** The share of a column's values that may misfit a type that still "fits almost every value". */
  static final double NEAR_FIT_SHARE = 0.001;

  /** Past this many misfits a type is out, however large the file. */
  private static final int MISFITS_CAP = 100;

  /** How many misfits of a type are kept to show. */
  static final int SHOWN = 5;

  /** A value that does not fit a type: where, and what. */
  record Misfit(long line, String value) {}

  /** One candidate type: misfits counted, the first few kept. */
  private static final class Candidate {
    final ColumnType type;
    final Optional<String> format;
    long misfits;
    final List<Misfit> shown = new ArrayList<>();

    Candidate(ColumnType type, Optional<String> format) {
      this.type = type;
      this.format = format;
    }

    boolean out() {
      return misfits > MISFITS_CAP;
    }

    void misfit(long line, String value) {
      misfits++;
      if (shown.size() < SHOWN) {
        shown.add(new Misfit(line, value));
      }
    }
  }

  private final String name;
  private final Candidate bool = new Candidate(ColumnType.BOOLEAN, Optional.empty());
  private final Candidate integer = new Candidate(ColumnType.INT, Optional.empty());
  private final Candidate longInteger = new Candidate(ColumnType.LONG, Optional.empty());
  private final Candidate decimal = new Candidate(ColumnType.DECIMAL, Optional.empty());
  private int longestNumber;
  private final Candidate real = new Candidate(ColumnType.DOUBLE, Optional.empty());
  private final List<Candidate> dates = new ArrayList<>();
  private final List<DateTimeFormatter> dateFormatters = new ArrayList<>();
  private final Candidate timestamp = new Candidate(ColumnType.TIMESTAMP, Optional.empty());
  private final ValueParser doubles;
  private final ValueParser timestamps;
  private int integerDigits;
  private int scale;
  private long values;
  private long nulls;

  /**
   * Whether a value is a number written as a code (a leading zero or {@code +}: {@code 00501},
   * {@code +441234567}): the column stays text, however few such values there are, since a number
   * type would load them without the zero or the sign.
   */
  private boolean numberAsCode;

  ColumnProfile(String name) {
    this.name = name;
    for (String format : DATE_FORMATS) {
      dates.add(
          new Candidate(
              ColumnType.DATE,
              format.equals("yyyy-MM-dd") ? Optional.empty() : Optional.of(format)));
      dateFormatters.add(ValueParsers.formatter(format));
    }
    doubles =
        ValueParsers.forColumn(
            new ColumnSpec(name, ColumnType.DOUBLE, Optional.empty(), false, 0, 0));
    timestamps =
        ValueParsers.forColumn(
            new ColumnSpec(name, ColumnType.TIMESTAMP, Optional.empty(), false, 0, 0));
  }

  /** Takes one value, from the record at {@code line}. */
  void accept(String value, long line) {
    if (value == null || value.isEmpty()) {
      nulls++;
      return;
    }
    values++;
    if (!bool.out() && !isBoolean(value)) {
      bool.misfit(line, value);
    }
    boolean leadingZero =
        value.length() > 1 && value.charAt(0) == '0' && value.charAt(1) != '.'
            || value.startsWith("+")
            || value.startsWith("-0") && value.length() > 2 && value.charAt(2) != '.';
    if (leadingZero && plainDigits(value) > 0) {
      numberAsCode = true;
    }
    if (!integer.out() || !longInteger.out()) {
      Optional<Long> parsed = leadingZero ? Optional.empty() : parseLong(value);
      if (parsed.isEmpty()) {
        integer.misfit(line, value);
        longInteger.misfit(line, value);
      } else if (parsed.get() < Integer.MIN_VALUE || parsed.get() > Integer.MAX_VALUE) {
        integer.misfit(line, value);
      }
    }
    longestNumber = Math.max(longestNumber, plainDigits(value));
    if (!decimal.out() && (leadingZero || !acceptDecimal(value))) {
      decimal.misfit(line, value);
    }
    if (!real.out() && (leadingZero || !parses(doubles, value))) {
      real.misfit(line, value);
    }
    for (int i = 0; i < dates.size(); i++) {
      if (!dates.get(i).out() && !isDate(value, dateFormatters.get(i))) {
        dates.get(i).misfit(line, value);
      }
    }
    if (!timestamp.out() && !parses(timestamps, value)) {
      timestamp.misfit(line, value);
    }
  }

  private static boolean isBoolean(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "false", "t", "f", "yes", "no", "y", "n" -> true;
      default -> false;
    };
  }

  private static Optional<Long> parseLong(String value) {
    try {
      return Optional.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean parses(ValueParser parser, String value) {
    try {
      parser.parse(value);
      return true;
    } catch (ValueRejected e) {
      return false;
    }
  }

  private static boolean isDate(String value, DateTimeFormatter formatter) {
    try {
      LocalDate.parse(value, formatter);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** The digits of a plain number (an optional sign, digits, at most one point); else 0. */
  private static int plainDigits(String value) {
    int digits = 0;
    boolean point = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && !point) {
        point = true;
      } else if (!(i == 0 && (c == '-' || c == '+'))) {
        return 0;
      }
    }
    return digits;
  }

  /** Whether the value is a plain decimal; widens the precision and scale seen when it is. */
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
    if (digitsBefore + digitsAfter == 0
        || Math.max(integerDigits, digitsBefore) + Math.max(scale, digitsAfter) > 38) {
      return false;
    }
    integerDigits = Math.max(integerDigits, digitsBefore);
    scale = Math.max(scale, digitsAfter);
    return true;
  }

  /**
   * The chosen column type, and the values that will not fit it.
   *
   * @param tooPreciseForDouble whether the column was typed as text though its values are numbers a
   *     double would fit, because some have more digits than a double keeps exactly
   */
  record Choice(ColumnSpec column, long misfits, List<Misfit> shown, boolean tooPreciseForDouble) {
    Choice(ColumnSpec column, long misfits, List<Misfit> shown) {
      this(column, misfits, shown, false);
    }
  }

  /**
   * The most significant digits a double keeps exactly for every number: a plain number with more
   * (a 20-digit account number beyond decimal(38)'s reach, say) would be stored rounded.
   */
  static final int DOUBLE_DIGITS = 15;

  /** The most digits of a plain number (digits and a point) seen in the column. */
  int longestNumber() {
    return longestNumber;
  }

  /**
   * The narrowest type every value fits; else the narrowest that fits almost every value (with its
   * misfits); else text.
   */
  Choice choose(boolean required) {
    if (values == 0) {
      return new Choice(ColumnSpec.text(name, required), 0, List.of());
    }
    List<Candidate> order =
        new ArrayList<>(
            numberAsCode ? List.of(bool) : List.of(bool, integer, longInteger, decimal, real));
    order.addAll(dates);
    order.add(timestamp);
    long allowed = (long) Math.floor(values * NEAR_FIT_SHARE);
    for (long tolerated : new long[] {0, allowed}) {
      for (Candidate candidate : order) {
        if (!candidate.out() && candidate.misfits <= tolerated) {
          if (candidate == real && longestNumber > DOUBLE_DIGITS) {
            return new Choice(ColumnSpec.text(name, required), 0, List.of(), true);
          }
          return new Choice(spec(candidate, required), candidate.misfits, candidate.shown);
        }
      }
    }
    return new Choice(ColumnSpec.text(name, required), 0, List.of());
  }

  private ColumnSpec spec(Candidate candidate, boolean required) {
    if (candidate.type == ColumnType.DECIMAL) {
      int precision = integerDigits + scale <= 18 ? 18 : 38;
      return new ColumnSpec(name, ColumnType.DECIMAL, Optional.empty(), required, precision, scale);
    }
    return new ColumnSpec(name, candidate.type, candidate.format, required, 0, 0);
  }

  /** The date formats every value fits (more than one: days and months are ambiguous). */
  List<String> dateFormats() {
    List<String> fitting = new ArrayList<>();
    for (int i = 0; i < dates.size(); i++) {
      if (dates.get(i).misfits == 0) {
        fitting.add(DATE_FORMATS.get(i));
      }
    }
    return fitting;
  }

  long nulls() {
    return nulls;
  }

  long values() {
    return values;
  }
}
