package io.bucketload.core.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Whether every value of a file is in its plain form: the form on which bucketload's reader and
 * another strict CSV reader (DuckDB's) agree, so that the other reader may load the file in
 * bucketload's place ({@link io.bucketload.core.target.TableLoad#readDirectly}). Reads the bytes of
 * an ASCII-compatible file once (UTF-8, its byte order mark allowed), in the dialect of RFC 4180
 * with the double quote, and answers no at the first value that is not plain:
 *
 * <ul>
 *   <li>bytes that are not UTF-8, in any field, loaded or not;
 *   <li>a quote anywhere but opening, doubled inside, or closing a field;
 *   <li>a record with another number of fields than the header (blank lines are skipped, as both
 *       readers skip them, but not before the header, nor in a file of one column, where other
 *       readers take one for a NULL);
 *   <li>a missing value (an empty unquoted field) in a required column;
 *   <li>a value of more bytes than {@code maxFieldChars}, or a text holding two or more line breaks
 *       (bucketload looks at those for a quote that swallowed records);
 *   <li>a quoted value in a column of another type than text;
 *   <li>an integer not {@code [+-]digits}; a decimal not {@code [+-]digits[.digits]} within its
 *       scale and precision; a date not {@code yyyy-MM-dd} of a year from 1000; a timestamp not
 *       {@code yyyy-MM-dd HH:mm:ss} (or {@code T}) with up to 6 fraction digits, hours up to 23; a
 *       boolean not {@code true} or {@code false}.
 * </ul>
 *
 * <p>Whether a plain value is valid (a 30th of February, an int out of range) is the other reader's
 * to find: it must refuse such a value, as bucketload's does.
 */
public final class PlainValues {
  private PlainValues() {}

  /** The plain forms. */
  public enum Form {
    /** Any text. */
    TEXT,
    /** {@code [+-]digits}. */
    INTEGER,
    /** {@code [+-]digits[.digits]}. */
    DECIMAL,
    /** {@code yyyy-MM-dd}. */
    DATE,
    /** {@code yyyy-MM-dd HH:mm:ss[.ffffff]}, or {@code T} between. */
    TIMESTAMP,
    /** {@code true} or {@code false}. */
    BOOLEAN
  }

  /**
   * What one field of every record must hold.
   *
   * @param form its plain form
   * @param precision a decimal's digits in all
   * @param scale a decimal's digits after the point
   * @param required whether an empty value is refused
   */
  public record Field(Form form, int precision, int scale, boolean required) {
    /** Checks the fields. */
    public Field {
      Objects.requireNonNull(form, "form");
    }

    /** A field of any text, NULL when empty: one that is not loaded, say. */
    public static Field text() {
      return new Field(Form.TEXT, 0, 0, false);
    }
  }

  private static final int FIELD_START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_IN_QUOTED = 3;

  private static final int BOUNDARY = 0;
  private static final int NOT_PLAIN = 1;
  private static final int INSIDE = 2;

  /** The longest value of a type other than text that can be plain. */
  private static final int LONGEST = 64;

  /**
   * Checks the file.
   *
   * @param delimiter the field separator, an ASCII character other than the quote
   * @param fields what each field of a record holds, in the header's order
   * @param maxFieldChars the most bytes a value may have (at least its characters)
   * @return whether every value is plain
   * @throws IOException when the file cannot be read
   */
  public static boolean check(Path file, char delimiter, List<Field> fields, int maxFieldChars)
      throws IOException {
    return check(file, delimiter, fields, maxFieldChars, 1 << 16);
  }

  /** {@link #check(Path, char, List, int)}, reading {@code bufferBytes} (at least 4) at a time. */
  static boolean check(
      Path file, char delimiter, List<Field> fields, int maxFieldChars, int bufferBytes)
      throws IOException {
    if (delimiter >= 0x80 || delimiter == '"') {
      throw new IllegalArgumentException("the delimiter must be ASCII and not the quote");
    }
    if (bufferBytes < 4) {
      throw new IllegalArgumentException("the buffer needs at least 4 bytes");
    }
    return new Scan((byte) delimiter, fields.toArray(Field[]::new), maxFieldChars)
        .run(file, bufferBytes);
  }

  /** One pass over a file. */
  private static final class Scan {
    private final byte separator;
    private final Field[] fields;
    private final int maxFieldChars;
    private final byte[] value = new byte[LONGEST];

    private int state = FIELD_START;
    private boolean header = true;
    private int field;
    private long length;
    private int breaks;
    private boolean quoted;
    private boolean crInQuotes;

    /** Bytes still to come of the current UTF-8 character, and the range of the next one. */
    private int continuations;

    private int lowest = 0x80;
    private int highest = 0xBF;

    /** Whether the record so far is empty: a line break then ends a blank line, not a record. */
    private boolean blank = true;

    /** The previous byte ended a record with a carriage return: a line feed now belongs to it. */
    private boolean afterCarriageReturn;

    Scan(byte separator, Field[] fields, int maxFieldChars) {
      this.separator = separator;
      this.fields = fields;
      this.maxFieldChars = maxFieldChars;
    }

    boolean run(Path file, int bufferBytes) throws IOException {
      byte[] buffer = new byte[bufferBytes];
      boolean first = true;
      try (InputStream in = Files.newInputStream(file)) {
        for (int read = in.readNBytes(buffer, 0, buffer.length);
            read > 0;
            read = in.readNBytes(buffer, 0, buffer.length)) {
          int start = 0;
          if (first) {
            first = false;
            if (read >= 3
                && buffer[0] == (byte) 0xEF
                && buffer[1] == (byte) 0xBB
                && buffer[2] == (byte) 0xBF) {
              start = 3;
            }
          }
          if (!bytes(buffer, start, read)) {
            return false;
          }
        }
      }
      if (state == QUOTED || continuations > 0) {
        return false;
      }
      return blank || endRecord();
    }

    private boolean bytes(byte[] buffer, int from, int to) {
      for (int i = from; i < to; i++) {
        byte b = buffer[i];
        if ((b < 0 || continuations > 0) && !utf8(b)) {
          return false;
        }
        switch (state) {
          case QUOTED -> {
            if (b == '"') {
              state = QUOTE_IN_QUOTED;
            } else {
              length++;
              if (b == '\n') {
                if (!crInQuotes) {
                  breaks++;
                }
                crInQuotes = false;
              } else if (b == '\r') {
                breaks++;
                crInQuotes = true;
              } else {
                crInQuotes = false;
              }
            }
          }
          case QUOTE_IN_QUOTED -> {
            if (b == '"') {
              length++;
              crInQuotes = false;
              state = QUOTED;
            } else if (boundary(b) != BOUNDARY) {
              return false;
            }
          }
          case UNQUOTED -> {
            if (b == '"') {
              return false;
            }
            int after = boundary(b);
            if (after == NOT_PLAIN) {
              return false;
            }
            if (after == INSIDE) {
              take(b);
            }
          }
          default -> {
            if (afterCarriageReturn && b == '\n') {
              afterCarriageReturn = false;
              continue;
            }
            afterCarriageReturn = false;
            if (b == '"') {
              state = QUOTED;
              quoted = true;
              blank = false;
              crInQuotes = false;
            } else {
              int after = boundary(b);
              if (after == NOT_PLAIN) {
                return false;
              }
              if (after == INSIDE) {
                state = UNQUOTED;
                blank = false;
                take(b);
              }
            }
          }
        }
      }
      return true;
    }

    /**
     * Follows UTF-8 through a byte that is not ASCII, or one that must continue a character:
     * bucketload's reader refuses the file at the first malformed sequence (an overlong form, a
     * surrogate, a code point past U+10FFFF), in any field, and another reader need not decode the
     * fields it does not load.
     */
    private boolean utf8(byte b) {
      int u = b & 0xFF;
      if (continuations > 0) {
        if (u < lowest || u > highest) {
          return false;
        }
        continuations--;
        lowest = 0x80;
        highest = 0xBF;
        return true;
      }
      lowest = 0x80;
      highest = 0xBF;
      if (u >= 0xC2 && u <= 0xDF) {
        continuations = 1;
      } else if (u >= 0xE0 && u <= 0xEF) {
        continuations = 2;
        lowest = u == 0xE0 ? 0xA0 : 0x80;
        highest = u == 0xED ? 0x9F : 0xBF;
      } else if (u >= 0xF0 && u <= 0xF4) {
        continuations = 3;
        lowest = u == 0xF0 ? 0x90 : 0x80;
        highest = u == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
      return true;
    }

    /** One more byte of an unquoted value. */
    private void take(byte b) {
      if (length < LONGEST) {
        value[(int) length] = b;
      }
      length++;
    }

    /**
     * Handles a byte that may end a field: a delimiter ends the field, a line break the record.
     *
     * @return {@link #BOUNDARY} when it did and all is plain, {@link #NOT_PLAIN} when the field or
     *     the record it ended is not plain, {@link #INSIDE} when the byte is neither
     */
    private int boundary(byte b) {
      if (b == separator) {
        blank = false;
        if (!endField()) {
          return NOT_PLAIN;
        }
        field++;
        return BOUNDARY;
      }
      if (b == '\n' || b == '\r') {
        if (blank && (header || fields.length == 1)) {
          // Other readers take a blank line before the header for the header, and one of a file
          // of one column for a NULL.
          return NOT_PLAIN;
        }
        if (!blank && !endRecord()) {
          return NOT_PLAIN;
        }
        afterCarriageReturn = b == '\r';
        blank = true;
        field = 0;
        state = FIELD_START;
        resetValue();
        return BOUNDARY;
      }
      return INSIDE;
    }

    private boolean endRecord() {
      if (!endField()) {
        return false;
      }
      boolean whole = field == fields.length - 1;
      header = false;
      return whole;
    }

    private boolean endField() {
      boolean plain = header || plain();
      state = FIELD_START;
      resetValue();
      return plain;
    }

    private void resetValue() {
      length = 0;
      breaks = 0;
      quoted = false;
      crInQuotes = false;
    }

    private boolean plain() {
      if (field >= fields.length) {
        return false;
      }
      Field expected = fields[field];
      if (expected.form() == Form.TEXT) {
        if (!quoted && length == 0) {
          return !expected.required();
        }
        return length <= maxFieldChars && breaks < 2;
      }
      if (quoted) {
        return false;
      }
      if (length == 0) {
        return !expected.required();
      }
      if (length > LONGEST || length > maxFieldChars) {
        return false;
      }
      int n = (int) length;
      return switch (expected.form()) {
        case INTEGER -> integer(n);
        case DECIMAL -> decimal(n, expected.precision(), expected.scale());
        case DATE -> n == 10 && date();
        case TIMESTAMP -> timestamp(n);
        case BOOLEAN -> word(n, "true") || word(n, "false");
        case TEXT -> true;
      };
    }

    private boolean integer(int n) {
      int i = value[0] == '-' || value[0] == '+' ? 1 : 0;
      if (i == n) {
        return false;
      }
      for (; i < n; i++) {
        if (!digit(value[i])) {
          return false;
        }
      }
      return true;
    }

    private boolean decimal(int n, int precision, int scale) {
      int i = value[0] == '-' || value[0] == '+' ? 1 : 0;
      int integerDigits = 0;
      boolean significant = false;
      int start = i;
      for (; i < n && digit(value[i]); i++) {
        significant |= value[i] != '0';
        if (significant) {
          integerDigits++;
        }
      }
      if (i == start || integerDigits > precision - scale) {
        return false;
      }
      if (i == n) {
        return true;
      }
      if (value[i] != '.') {
        return false;
      }
      int fraction = 0;
      for (i++; i < n; i++) {
        if (!digit(value[i])) {
          return false;
        }
        fraction++;
      }
      return fraction >= 1 && fraction <= scale;
    }

    /** {@code yyyy-MM-dd} at the start of the value, the year from 1000. */
    private boolean date() {
      return value[0] >= '1'
          && value[0] <= '9'
          && digit(value[1])
          && digit(value[2])
          && digit(value[3])
          && value[4] == '-'
          && digit(value[5])
          && digit(value[6])
          && value[7] == '-'
          && digit(value[8])
          && digit(value[9]);
    }

    private boolean timestamp(int n) {
      if ((n != 19 && (n < 21 || n > 26)) || !date()) {
        return false;
      }
      if (value[10] != ' ' && value[10] != 'T') {
        return false;
      }
      boolean time =
          twoDigitsUpTo(11, 23)
              && value[13] == ':'
              && twoDigitsUpTo(14, 59)
              && value[16] == ':'
              && twoDigitsUpTo(17, 59);
      if (!time || n == 19) {
        return time;
      }
      if (value[19] != '.') {
        return false;
      }
      for (int i = 20; i < n; i++) {
        if (!digit(value[i])) {
          return false;
        }
      }
      return true;
    }

    private boolean twoDigitsUpTo(int at, int most) {
      return digit(value[at])
          && digit(value[at + 1])
          && (value[at] - '0') * 10 + (value[at + 1] - '0') <= most;
    }

    private boolean word(int n, String word) {
      if (n != word.length()) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (value[i] != word.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private static boolean digit(byte b) {
      return b >= '0' && b <= '9';
    }
  }
}
