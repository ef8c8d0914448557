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
    byte[] bytes = latin1(text);
    return parse(bytes, 0, bytes.length);
  }

  /**
   * The text's chars as bytes, one each: a char that is not Latin-1 becomes {@code ?}, which no
   * canonical shape holds, so the verdict is the text's.
   */
  private static byte[] latin1(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /**
   * The timestamp written in ASCII in {@code bytes} from {@code start} to {@code end}, or null when
   * it is not of a canonical shape.
   */
  static LocalDateTime parse(byte[] bytes, int start, int end) {
    int length = end - start;
    if (length < 16
        || bytes[start + 4] != '-'
        || bytes[start + 7] != '-'
        || (bytes[start + 10] != 'T' && bytes[start + 10] != ' ')
        || bytes[start + 13] != ':') {
      return null;
    }
    int year = digits(bytes, start, 4);
    int month = digits(bytes, start + 5, 2);
    int day = digits(bytes, start + 8, 2);
    int hour = digits(bytes, start + 11, 2);
    int minute = digits(bytes, start + 14, 2);
    if ((year | month | day | hour | minute) < 0) {
      return null;
    }
    int position = start + 16;
    int second = 0;
    int nanos = 0;
    if (position < end && bytes[position] == ':') {
      if (position + 3 > end) {
        return null;
      }
      second = digits(bytes, position + 1, 2);
      if (second < 0) {
        return null;
      }
      position += 3;
      if (position < end && bytes[position] == '.') {
        int first = ++position;
        while (position < end && position - first < 9 && isDigit(bytes[position])) {
          nanos = nanos * 10 + (bytes[position] - '0');
          position++;
        }
        if (position == first) {
          return null;
        }
        for (int scale = position - first; scale < 9; scale++) {
          nanos *= 10;
        }
      }
    }
    int offsetSeconds = 0;
    if (position < end) {
      byte sign = bytes[position];
      if (sign == 'Z' && position + 1 == end) {
        position++;
      } else if ((sign == '+' || sign == '-')
          && position + 6 == end
          && bytes[position + 3] == ':') {
        int hours = digits(bytes, position + 1, 2);
        int minutes = digits(bytes, position + 4, 2);
        if ((hours | minutes) < 0 || hours > 18 || minutes > 59) {
          return null;
        }
        offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        position = end;
      } else {
        return null;
      }
    }
    if (position != end) {
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
    byte[] bytes = latin1(text);
    return parseDate(bytes, 0, bytes.length);
  }

  /**
   * {@link #parseDate(String)} of the ASCII text in {@code bytes} from {@code start} to {@code
   * end}.
   */
  static java.time.LocalDate parseDate(byte[] bytes, int start, int end) {
    if (end - start != 10 || bytes[start + 4] != '-' || bytes[start + 7] != '-') {
      return null;
    }
    int year = digits(bytes, start, 4);
    int month = digits(bytes, start + 5, 2);
    int day = digits(bytes, start + 8, 2);
    if ((year | month | day) < 0) {
      return null;
    }
    return java.time.LocalDate.of(year, month, day);
  }

  private static int digits(byte[] bytes, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      byte c = bytes[i];
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
