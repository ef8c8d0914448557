package io.bucketload.core.schema;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Converts a value straight from the file's bytes when it is written in a plain form of its type,
 * to exactly what the type's parser makes of its text; {@link #NOT_PLAIN} for anything else, which
 * the parser then decides. Spares the text in between: the most common values of a file cost no
 * more than their result.
 */
final class PlainBytes {
  private PlainBytes() {}

  /** What {@link #convert} returns for a value not in a plain form. */
  static final Object NOT_PLAIN = new Object();

  /** {@link #kind}: no plain form; every value goes through its parser. */
  static final int NONE = 0;

  private static final int INT = 1;
  private static final int LONG = 2;
  private static final int DECIMAL = 3;
  private static final int DATE = 4;
  private static final int TIMESTAMP = 5;

  /** The plain form a column's values may be converted from, {@link #NONE} when it has none. */
  static int kind(ColumnSpec column) {
    return switch (column.type()) {
      case INT -> INT;
      case LONG -> LONG;
      case DECIMAL -> DECIMAL;
      case DATE -> column.format().isPresent() ? NONE : DATE;
      case TIMESTAMP -> column.format().isPresent() ? NONE : TIMESTAMP;
      case STRING, DOUBLE, BOOLEAN -> NONE;
    };
  }

  /**
   * The value of the ASCII or UTF-8 bytes from {@code start} to {@code end} (not empty) for a
   * column of {@code kind} (with its {@code precision} and {@code scale}, for a decimal), or {@link
   * #NOT_PLAIN}.
   */
  static Object convert(int kind, byte[] bytes, int start, int end, int precision, int scale) {
    return switch (kind) {
      case INT -> integer(bytes, start, end, 9, false);
      case LONG -> integer(bytes, start, end, 18, true);
      case DECIMAL -> decimal(bytes, start, end, precision, scale);
      case DATE -> date(bytes, start, end);
      case TIMESTAMP -> timestamp(bytes, start, end);
      default -> NOT_PLAIN;
    };
  }

  /** {@code [+-]?} and 1 to {@code maxDigits} digits: in range for an int (9) or a long (18). */
  private static Object integer(byte[] bytes, int start, int end, int maxDigits, boolean asLong) {
    byte sign = bytes[start];
    int first = sign == '-' || sign == '+' ? start + 1 : start;
    long value =
        first == end || end - first > maxDigits ? -1 : AsciiDigits.value(bytes, first, end);
    if (value < 0) {
      return NOT_PLAIN;
    }
    long signed = sign == '-' ? -value : value;
    return asLong ? (Object) signed : (Object) (int) signed;
  }

  private static final long[] POWERS_OF_TEN = {
    1L,
    10L,
    100L,
    1_000L,
    10_000L,
    100_000L,
    1_000_000L,
    10_000_000L,
    100_000_000L,
    1_000_000_000L,
    10_000_000_000L,
    100_000_000_000L,
    1_000_000_000_000L,
    10_000_000_000_000L,
    100_000_000_000_000L,
    1_000_000_000_000_000L,
    10_000_000_000_000_000L,
    100_000_000_000_000_000L,
    1_000_000_000_000_000_000L
  };

  /**
   * A decimal of at most 17 digits besides a leading {@code -}, at most {@code scale} after the
   * point, within the precision: its value at the column's scale. Null for anything else.
   */
  static BigDecimal smallDecimal(byte[] bytes, int start, int end, int precision, int scale) {
    int length = end - start;
    if (length == 0 || length > 18 || scale > 18) {
      return null;
    }
    boolean negative = bytes[start] == '-';
    int first = negative ? start + 1 : start;
    if (end - first <= 8 && first + 8 <= bytes.length) {
      return inOneWord(AsciiDigits.word(bytes, first), end - first, negative, precision, scale);
    }
    int point = first;
    while (point < end && bytes[point] != '.') {
      point++;
    }
    int fractionDigits = point == end ? 0 : end - point - 1;
    long integer = AsciiDigits.value(bytes, first, point);
    long fraction = point == end ? 0 : AsciiDigits.value(bytes, point + 1, end);
    if (integer < 0
        || fraction < 0
        || fractionDigits > scale
        || point - first + fractionDigits == 0) {
      return null;
    }
    int integerDigits = 0;
    while (integerDigits < 19 && integer >= POWERS_OF_TEN[integerDigits]) {
      integerDigits++;
    }
    if (integerDigits > precision - scale || integerDigits + scale > 18) {
      return null;
    }
    long unscaled =
        integer * POWERS_OF_TEN[scale] + fraction * POWERS_OF_TEN[scale - fractionDigits];
    return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
  }

  /** '.' in every byte. */
  private static final long POINTS = 0x2E2E2E2E2E2E2E2EL;

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH = 0x8080808080808080L;

  /**
   * {@link #smallDecimal} of the first {@code length} bytes of {@code word} (at most 8: digits and
   * at most one point, the sign already read), read without a loop: the point found by one test of
   * the word, the digits on either side of it joined into one word and read as one number, which is
   * the value at as many decimals as follow the point.
   */
  private static BigDecimal inOneWord(
      long word, int length, boolean negative, int precision, int scale) {
    if (length == 0) {
      return null;
    }
    long differ = word ^ POINTS;
    // The high bit of the first '.' among the bytes, and of none before it.
    long points = (differ - ONES) & ~differ & HIGH & AsciiDigits.lowBytes(length);
    int point = points == 0 ? length : Long.numberOfTrailingZeros(points) >>> 3;
    int digits = points == 0 ? length : length - 1;
    int fractionDigits = length - digits == 0 ? 0 : length - point - 1;
    if (digits == 0 || fractionDigits > scale || digits - fractionDigits + scale > 18) {
      return null;
    }
    long before = point == 0 ? 0 : word & AsciiDigits.lowBytes(point);
    long joined = points == 0 ? word : before | ((word >>> 8) & ~AsciiDigits.lowBytes(point));
    if (!AsciiDigits.digitsIn(joined, AsciiDigits.lowBytes(digits))) {
      return null;
    }
    long unscaled = AsciiDigits.valueOf(joined, digits) * POWERS_OF_TEN[scale - fractionDigits];
    // Its integer part has at most precision - scale digits exactly when this holds.
    if (precision <= 18 && unscaled >= POWERS_OF_TEN[precision]) {
      return null;
    }
    return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
  }

  private static Object decimal(byte[] bytes, int start, int end, int precision, int scale) {
    BigDecimal value = smallDecimal(bytes, start, end, precision, scale);
    return value == null ? NOT_PLAIN : value;
  }

  private static Object date(byte[] bytes, int start, int end) {
    try {
      LocalDate date = CanonicalTimestamp.parseDate(bytes, start, end);
      return date == null ? NOT_PLAIN : date;
    } catch (DateTimeException e) {
      return NOT_PLAIN;
    }
  }

  /** A canonical timestamp of whole microseconds, as the parser keeps it. */
  private static Object timestamp(byte[] bytes, int start, int end) {
    LocalDateTime value = CanonicalTimestamp.parse(bytes, start, end);
    return value == null || value.getNano() % 1_000 != 0 ? NOT_PLAIN : value;
  }
}
