package io.bucketload.core.csv;

import java.io.IOException;
import java.util.Optional;

/**
 * A record with characters after a closing quote ({@code "abc"def}), read again from its first line
 * by a scanner of its own, to find where it ends: the end of the physical line where the extra
 * characters are. When a quote follows on that line, the end is in doubt (the quote may open a
 * field that runs over lines), and the file fails instead.
 *
 * @param field the 0-based index of the field with the extra characters
 * @param text the record's text as read, up to a limit, for the rejects file
 * @param lineBreaks the line breaks the record spans, the one that ends it included
 * @param inDoubt whether a quote follows the extra characters on their line
 */
record BadRecord(int field, String text, long lineBreaks, boolean inDoubt) {
  private enum State {
    FIELD_START,
    UNQUOTED,
    QUOTED,
    AFTER_QUOTED
  }

  /**
   * Scans the record at the start of {@code in}, leaving {@code in} after its end. Empty when the
   * scanner finds nothing wrong with the record (then the parser's failure stands).
   */
  static Optional<BadRecord> scan(TextCursor in, CsvDialect dialect, int maxText)
      throws IOException {
    char quote = dialect.quote();
    String delimiter = dialect.delimiter();
    StringBuilder text = new StringBuilder();
    State state = State.FIELD_START;
    int field = 0;
    long breaks = 0;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return Optional.empty();
      }
      keep(text, c, maxText);
      switch (state) {
        case FIELD_START, UNQUOTED -> {
          if (c == '\r' || c == '\n') {
            return Optional.empty();
          }
          if (isDelimiter(in, c, delimiter, text, maxText)) {
            field++;
            state = State.FIELD_START;
          } else if (state == State.FIELD_START && c == quote) {
            state = State.QUOTED;
          } else {
            state = State.UNQUOTED;
          }
        }
        case QUOTED -> {
          if (c == quote) {
            int next = in.read();
            if (next == quote) {
              keep(text, next, maxText);
            } else {
              if (next >= 0) {
                in.unread(next);
              }
              state = State.AFTER_QUOTED;
            }
          } else if (c == '\r' || c == '\n') {
            breaks += lineBreak(in, c, text, maxText);
          }
        }
        case AFTER_QUOTED -> {
          if (c == '\r' || c == '\n') {
            return Optional.empty();
          }
          if (isDelimiter(in, c, delimiter, text, maxText)) {
            field++;
            state = State.FIELD_START;
          } else {
            return Optional.of(restOfLine(in, field, text, breaks, quote, maxText));
          }
        }
        default -> throw new IllegalStateException(state.name());
      }
    }
  }

  /** Reads to the end of the physical line with the extra characters. */
  private static BadRecord restOfLine(
      TextCursor in, int field, StringBuilder text, long breaks, char quote, int maxText)
      throws IOException {
    boolean quoteFollows = false;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return new BadRecord(field, text.toString(), breaks, quoteFollows);
      }
      if (c == '\r' || c == '\n') {
        long ending = lineBreak(in, c, new StringBuilder(), 0);
        return new BadRecord(field, text.toString(), breaks + ending, quoteFollows);
      }
      keep(text, c, maxText);
      quoteFollows |= c == quote;
    }
  }

  /** Consumes the rest of a line break that started with {@code c} (CRLF is one); returns 1. */
  private static long lineBreak(TextCursor in, int c, StringBuilder text, int maxText)
      throws IOException {
    if (c == '\r') {
      int next = in.read();
      if (next == '\n') {
        keep(text, next, maxText);
      } else if (next >= 0) {
        in.unread(next);
      }
    }
    return 1;
  }

  /** Whether {@code c} starts the delimiter; consumes the delimiter's other characters if so. */
  private static boolean isDelimiter(
      TextCursor in, int c, String delimiter, StringBuilder text, int maxText) throws IOException {
    if (c != delimiter.charAt(0)) {
      return false;
    }
    int length = delimiter.length();
    int[] read = new int[length - 1];
    int got = 0;
    for (; got < length - 1; got++) {
      read[got] = in.read();
      if (read[got] != delimiter.charAt(got + 1)) {
        got++;
        for (int i = got - 1; i >= 0; i--) {
          if (read[i] >= 0) {
            in.unread(read[i]);
          }
        }
        return false;
      }
    }
    for (int i = 0; i < got; i++) {
      keep(text, read[i], maxText);
    }
    return true;
  }

  private static void keep(StringBuilder text, int c, int maxText) {
    if (text.length() < maxText) {
      text.append((char) c);
    }
  }
}
