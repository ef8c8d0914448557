package io.bucketload.core.csv;

/**
 * The states of a reading that follows quoted fields byte by byte, as {@link RecordSplitter} and
 * {@link CutGuess} follow them to find where records end.
 */
final class QuotingState {
  /** Outside quotes: in an unquoted field, or between fields or records. */
  static final int OUTSIDE = 0;

  /** Inside a quoted field. */
  static final int QUOTED = 1;

  /** A quote inside a quoted field: the field's end, or the first half of a doubled quote. */
  static final int AFTER_QUOTE = 2;

  private QuotingState() {}

  /**
   * The state after {@code b}, read in {@code state} ({@link #QUOTED} or {@link #AFTER_QUOTE}):
   * {@link #OUTSIDE} when the quote before {@code b} closed the field, so that {@code b} is read
   * outside quotes.
   */
  static int inQuotes(int state, byte b, byte quote) {
    if (b == quote) {
      return state == QUOTED ? AFTER_QUOTE : QUOTED;
    }
    return state == QUOTED ? QUOTED : OUTSIDE;
  }
}
