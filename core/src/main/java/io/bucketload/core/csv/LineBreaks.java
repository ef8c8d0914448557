package io.bucketload.core.csv;

/**
 * Counts line breaks as the CSV parser does: LF, CR and CRLF each one, also when a CRLF is split
 * between two pieces of text. Not thread-safe.
 */
final class LineBreaks {
  private long count;
  private boolean afterCarriageReturn;

  /** A count from the start of a text. */
  LineBreaks() {
    this(false);
  }

  /**
   * A count from the middle of a text.
   *
   * @param afterCarriageReturn whether the text before ended with a carriage return
   */
  LineBreaks(boolean afterCarriageReturn) {
    this.afterCarriageReturn = afterCarriageReturn;
  }

  /** Counts the breaks in {@code text[from, to)}. */
  void scan(CharSequence text, int from, int to) {
    for (int i = from; i < to; i++) {
      see(text.charAt(i));
    }
  }

  /**
   * Counts the breaks in {@code chars[from, to)}. Text without a carriage return, the common case,
   * takes one comparison per character; text with one is counted character by character.
   */
  void scan(char[] chars, int from, int to) {
    if (from >= to) {
      return;
    }
    int feeds = 0;
    boolean carriageReturn = false;
    for (int i = from; i < to; i++) {
      char c = chars[i];
      if (c <= '\r') {
        if (c == '\n') {
          feeds++;
        } else if (c == '\r') {
          carriageReturn = true;
        }
      }
    }
    if (carriageReturn) {
      for (int i = from; i < to; i++) {
        see(chars[i]);
      }
      return;
    }
    addFeeds(feeds, chars[from] == '\n');
  }

  /**
   * Adds the line feeds of a piece of text without a carriage return: all of them, but the first
   * when it is the second half of a CRLF split between two pieces.
   */
  private void addFeeds(long feeds, boolean startsWithFeed) {
    count += afterCarriageReturn && startsWithFeed ? feeds - 1 : feeds;
    afterCarriageReturn = false;
  }

  /**
   * Counts the breaks in {@code bytes[from, to)} of text whose line breaks are the bytes 0x0D and
   * 0x0A and whose other characters never contain them (UTF-8, one-byte encodings): eight bytes per
   * step when there is no carriage return, byte by byte when there is one.
   */
  void scanBytes(byte[] bytes, int from, int to) {
    if (from >= to) {
      return;
    }
    long feeds = 0;
    long returns = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long word = ByteWords.at(bytes, i);
      feeds += Long.bitCount(ByteWords.equalBytes(word, ByteWords.FEEDS));
      returns |= ByteWords.equalBytes(word, ByteWords.RETURNS);
    }
    for (; i < to; i++) {
      if (bytes[i] == '\n') {
        feeds++;
      } else if (bytes[i] == '\r') {
        returns = 1;
      }
    }
    if (returns != 0) {
      for (int j = from; j < to; j++) {
        see((char) (bytes[j] & 0xFF));
      }
      return;
    }
    addFeeds(feeds, bytes[from] == '\n');
  }

  /** Counts one character. */
  void see(char c) {
    if (c == '\n') {
      if (!afterCarriageReturn) {
        count++;
      }
      afterCarriageReturn = false;
    } else if (c == '\r') {
      count++;
      afterCarriageReturn = true;
    } else {
      afterCarriageReturn = false;
    }
  }

  /** The breaks counted so far. */
  long count() {
    return count;
  }

  /** Whether the text counted so far ends with a carriage return. */
  boolean afterCarriageReturn() {
    return afterCarriageReturn;
  }
}
