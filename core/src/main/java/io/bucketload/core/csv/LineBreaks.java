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

  /** Counts the breaks in {@code chars[from, to)}. */
  void scan(char[] chars, int from, int to) {
    for (int i = from; i < to; i++) {
      see(chars[i]);
    }
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
