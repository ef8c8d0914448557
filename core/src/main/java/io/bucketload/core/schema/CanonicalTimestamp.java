package io.bucketload.core.schema;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A fast exact parser for the common ISO timestamp shapes: {@code yyyy-MM-dd[T ]HH:mm[:ss[.f…]]}
 * with an optional {@code Z} or {@code ±HH:mm} offset (converted to UTC). It answers only for text
 * of exactly these shapes; anything else goes to the general {@code java.time} parser, which
 * decides. The general parser costs about 2.5 µs a value, this one about 0.1 µs.
 */
final class CanonicalTimestamp {
  private CanonicalTimestamp() {}

  /** The timestamp, or null when the text is not of a canonical shape (the caller then decides). */
  static LocalDateTime parse(String text) {
    int length = text.length();
    if (length < 16
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || (text.charAt(10) != 'T' && text.charAt(10) != ' ')
        || text.charAt(13) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    if ((year | month | day | hour | minute) < 0) {
      return null;
    }
    int position = 16;
    int second = 0;
    int nanos = 0;
    if (position < length && text.charAt(position) == ':') {
      second = digits(text, position + 1, 2);
      if (second < 0) {
        return null;
      }
      position += 3;
      if (position < length && text.charAt(position) == '.') {
        int start = ++position;
        while (position < length && position - start < 9 && isDigit(text.charAt(position))) {
          nanos = nanos * 10 + (text.charAt(position) - '0');
          position++;
        }
        if (position == start) {
          return null;
        }
        for (int scale = position - start; scale < 9; scale++) {
          nanos *= 10;
        }
      }
    }
    int offsetSeconds = 0;
    if (position < length) {
      char sign = text.charAt(position);
      if (sign == 'Z' && position + 1 == length) {
        position++;
      } else if ((sign == '+' || sign == '-')
          && position + 6 == length
          && text.charAt(position + 3) == ':') {
        int hours = digits(text, position + 1, 2);
        int minutes = digits(text, position + 4, 2);
        if ((hours | minutes) < 0 || hours > 18 || minutes > 59) {
          return null;
        }
        offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        position = length;
      } else {
        return null;
      }
    }
    if (position != length) {
      return null;
    }
    try {
      LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
      return offsetSeconds == 0
          ? local
          : local
              .atOffset(ZoneOffset.ofTotalSeconds(offsetSeconds))
              .withOffsetSameInstant(ZoneOffset.UTC)
              .toLocalDateTime();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * Parses exactly {@code yyyy-MM-dd}, the shape {@link java.time.LocalDate#parse} takes, without
   * its general formatter (about ten times faster); returns null for any other text and throws
   * {@link java.time.DateTimeException} for a date that does not exist.
   */
  static java.time.LocalDate parseDate(String text) {
    if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    if ((year | month | day) < 0) {
      return null;
    }
    return java.time.LocalDate.of(year, month, day);
  }

  private static int digits(String text, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
