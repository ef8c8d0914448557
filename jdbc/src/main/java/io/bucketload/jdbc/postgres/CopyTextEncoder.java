package io.bucketload.jdbc.postgres;

import io.bucketload.core.error.TargetException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * Encodes rows in PostgreSQL's {@code COPY} text format: tab-separated, {@code \N} for NULL,
 * backslash escapes for backslash, tab, newline and carriage return, UTF-8. Values are written
 * straight into a reusable byte buffer. Not thread-safe.
 */
final class CopyTextEncoder {
  private static final byte[] NULL = {'\\', 'N'};
  private static final byte[] MIN_LONG =
      Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

  private byte[] buffer;
  private int size;

  CopyTextEncoder(int initialCapacity) {
    buffer = new byte[initialCapacity];
  }

  /** Bytes encoded so far. */
  int size() {
    return size;
  }

  byte[] buffer() {
    return buffer;
  }

  /** Forgets the encoded bytes, keeping the buffer. */
  void clear() {
    size = 0;
  }

  /**
   * Appends one row, values in column order, ended by a newline.
   *
   * @param line the row's line in its file, for the message when a value cannot be sent
   * @param extra a last value appended after the row's own (the line number for staging), or {@code
   *     Long.MIN_VALUE} for none
   */
  void row(Object[] values, int[] order, long line, String file, long extra) {
    for (int i = 0; i < order.length; i++) {
      if (i > 0) {
        put((byte) '\t');
      }
      Object value = values[order[i]];
      if (value == null) {
        put(NULL);
      } else if (value instanceof String text) {
        text(text, line, file);
      } else if (value instanceof Integer number) {
        number(number);
      } else if (value instanceof Long number) {
        number(number);
      } else if (value instanceof BigDecimal decimal) {
        ascii(decimal.toPlainString());
      } else if (value instanceof LocalDateTime timestamp) {
        timestamp(timestamp);
      } else if (value instanceof LocalDate date) {
        date(date);
      } else if (value instanceof Boolean bool) {
        put(bool ? (byte) 't' : (byte) 'f');
      } else if (value instanceof Double number) {
        ascii(number.toString());
      } else {
        throw new IllegalArgumentException("no COPY encoding for " + value.getClass().getName());
      }
    }
    if (extra != Long.MIN_VALUE) {
      if (order.length > 0) {
        put((byte) '\t');
      }
      number(extra);
    }
    put((byte) '\n');
  }

  private void text(String text, long line, String file) {
    ensure(text.length() * 3 + 8);
    byte[] out = buffer;
    int at = size;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        switch (c) {
          case '\\' -> {
            out[at++] = '\\';
            out[at++] = '\\';
          }
          case '\t' -> {
            out[at++] = '\\';
            out[at++] = 't';
          }
          case '\n' -> {
            out[at++] = '\\';
            out[at++] = 'n';
          }
          case '\r' -> {
            out[at++] = '\\';
            out[at++] = 'r';
          }
          case 0 ->
              throw TargetException.data(
                  file
                      + " line "
                      + line
                      + ": a value contains the character NUL (0x00), which PostgreSQL text cannot"
                      + " hold",
                  null);
          default -> out[at++] = (byte) c;
        }
      } else if (c < 0x800) {
        out[at++] = (byte) (0xC0 | (c >> 6));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, text.charAt(++i));
        out[at++] = (byte) (0xF0 | (codePoint >> 18));
        out[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
        out[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (codePoint & 0x3F));
      } else {
        out[at++] = (byte) (0xE0 | (c >> 12));
        out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    size = at;
  }

  private void number(long value) {
    if (value == Long.MIN_VALUE) {
      put(MIN_LONG);
      return;
    }
    ensure(20);
    if (value < 0) {
      buffer[size++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    int end = size + digits;
    for (int at = end - 1; at >= size; at--) {
      buffer[at] = (byte) ('0' + (value % 10));
      value /= 10;
    }
    size = end;
  }

  private void date(LocalDate date) {
    int year = date.getYear();
    if (year < 1 || year > 9999) {
      // ISO's year 0 is 1 BC in PostgreSQL, which has no year 0.
      ascii(
          String.format(
              java.util.Locale.ROOT,
              "%d-%02d-%02d%s",
              year < 1 ? 1 - year : year,
              date.getMonthValue(),
              date.getDayOfMonth(),
              year < 1 ? " BC" : ""));
      return;
    }
    ensure(10);
    digits(year, 4);
    buffer[size++] = '-';
    digits(date.getMonthValue(), 2);
    buffer[size++] = '-';
    digits(date.getDayOfMonth(), 2);
  }

  private void timestamp(LocalDateTime timestamp) {
    date(timestamp.toLocalDate());
    ensure(16);
    buffer[size++] = ' ';
    digits(timestamp.getHour(), 2);
    buffer[size++] = ':';
    digits(timestamp.getMinute(), 2);
    buffer[size++] = ':';
    digits(timestamp.getSecond(), 2);
    int micros = timestamp.getNano() / 1_000;
    if (micros != 0) {
      buffer[size++] = '.';
      digits(micros, 6);
    }
  }

  private void digits(int value, int width) {
    for (int at = size + width - 1; at >= size; at--) {
      buffer[at] = (byte) ('0' + (value % 10));
      value /= 10;
    }
    size += width;
  }

  private void ascii(String text) {
    ensure(text.length());
    for (int i = 0; i < text.length(); i++) {
      buffer[size++] = (byte) text.charAt(i);
    }
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  private void put(byte b) {
    ensure(1);
    buffer[size++] = b;
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }
}
