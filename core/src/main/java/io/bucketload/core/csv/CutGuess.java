package io.bucketload.core.csv;

import io.bucketload.core.source.FileBytes;
import java.io.IOException;
import java.io.InputStream;

/**
 * Finds where a part of a file may end by looking only at the bytes around the place it should end,
 * without the bytes before it: whether that place lies inside a quoted field is guessed, not
 * counted. Both guesses are followed through the same quoting rules as {@link RecordSplitter}'s for
 * three records past the first record end at or after the place (blank lines not counted), or 64
 * KiB. The one that ends a part wins over one that does not (that read to the longest part's end,
 * or was stopped once the other was done and it had read twice as far, when the other met no defect
 * or no quote came since the place); then the one with fewer defects (characters after a closing
 * quote, a quote inside an unquoted field, a record not as wide as the header, a quote left open at
 * the file's end); then the one that read more records; then outside quotes. A wrong guess cuts
 * inside a quoted field; the part before the cut then fails at its end and is read again with the
 * next, as after any wrong cut. Thread-safe: every call reads on its own.
 */
final class CutGuess {
  /** What the bytes after a place say about where a part may end there. */
  sealed interface Cut {}

  /** A record ends just before {@code at}, at or after the place. */
  record At(long at) implements Cut {}

  /** No record ends between the place and the file's end: the part is the file's last. */
  record AtEnd() implements Cut {}

  /** No record ends within the bytes allowed: what is left is one tail, read as it streams. */
  record Beyond() implements Cut {}

  /** Record ends looked at past the first one before a guess is taken as read well. */
  private static final int RECORDS_CHECKED = 3;

  /** Bytes looked at past the first record end, at most, before a guess is taken as read well. */
  private static final long CHECKED_BYTES = 64 * 1024;

  private static final int OUTSIDE = QuotingState.OUTSIDE;
  private static final int QUOTED = QuotingState.QUOTED;
  private static final int AFTER_QUOTE = QuotingState.AFTER_QUOTE;

  private final FileBytes bytes;
  private final long size;
  private final byte delimiter;
  private final byte quote;
  private final int width;
  private final boolean trailingDelimiter;

  /**
   * @param width the fields a record has (the header's), or 0 when not known
   * @param trailingDelimiter whether records may end with a delimiter after their last field
   */
  CutGuess(
      FileBytes bytes,
      long size,
      byte delimiter,
      byte quote,
      int width,
      boolean trailingDelimiter) {
    this.bytes = bytes;
    this.size = size;
    this.delimiter = delimiter;
    this.quote = quote;
    this.width = width;
    this.trailingDelimiter = trailingDelimiter;
  }

  /**
   * Where a part should end that should end at or after {@code wanted}, with no record end beyond
   * {@code longest} allowed.
   *
   * @param wanted at least 1 and below the file's size
   * @throws IOException when the file cannot be read
   */
  Cut at(long wanted, long longest) throws IOException {
    long from = Math.max(0, wanted - 2);
    long to = Math.min(size, longest + CHECKED_BYTES);
    try (InputStream in = bytes.open(from, to)) {
      byte[] block = new byte[8192];
      int n = in.readNBytes(block, 0, block.length);
      byte before = wanted >= 2 ? block[0] : (byte) '\n';
      int offset = wanted >= 2 ? 1 : 0;
      Guess outside = new Guess(before == quote ? AFTER_QUOTE : OUTSIDE, before, wanted, longest);
      Guess inside = new Guess(QUOTED, before, wanted, longest);
      long at = from + offset;
      boolean quoteSeen = false;
      while (n > 0) {
        for (int i = offset; i < n && !decided(outside, inside, at, quoteSeen); i++, at++) {
          quoteSeen |= block[i] == quote;
          outside.take(block[i], at);
          inside.take(block[i], at);
        }
        if (decided(outside, inside, at, quoteSeen)) {
          break;
        }
        offset = 0;
        n = in.readNBytes(block, 0, block.length);
      }
      if (at >= size) {
        outside.endOfFile();
        inside.endOfFile();
      }
      Guess chosen = inside.likelierThan(outside) ? inside : outside;
      if (chosen.firstCut >= 0) {
        return new At(chosen.firstCut);
      }
      return chosen.endsPart() ? new AtEnd() : new Beyond();
    }
  }

  /**
   * Whether the guesses have read enough: both are done, or one is done with a cut and the other
   * has read twice as far from the place without being done, when the one done read its records
   * without a defect or no quote came since the place (which keeps the guess inside quotes reading
   * to the longest part's end without a record end).
   */
  private static boolean decided(Guess outside, Guess inside, long at, boolean quoteSeen) {
    return (outside.done() && inside.done())
        || outside.doneBefore(inside, at, quoteSeen)
        || inside.doneBefore(outside, at, quoteSeen);
  }

  /** One guess of the quoting state, followed byte by byte. */
  private final class Guess {
    private int state;
    private byte previous;
    private boolean recordEndedByReturn;
    private final long wanted;
    private final long longest;
    private long firstCut = -1;
    private int endsAfter;
    private int defects;

    /** Where the guess was done: its records checked, or no record end before the longest. */
    private long doneAt = -1;

    /** Whether no record ended before {@link #longest}. */
    private boolean beyond;

    /** Whether the file ended before the guess was done. */
    private boolean ended;

    /** The delimiters outside quotes and the other bytes of the record being read. */
    private int delimiters;

    private int bytesInRecord;

    Guess(int state, byte previous, long wanted, long longest) {
      this.state = state;
      this.previous = previous;
      this.wanted = wanted;
      this.longest = longest;
      this.recordEndedByReturn = state == OUTSIDE && previous == '\r';
    }

    /**
     * Whether this guess reads better than {@code other}: it ends a part where the other does not
     * (the other read to the longest part's end, or stopped); else fewer defects; else as few and
     * more whole records read after its cut.
     */
    boolean likelierThan(Guess other) {
      if (endsPart() != other.endsPart()) {
        return endsPart();
      }
      return defects < other.defects || (defects == other.defects && endsAfter > other.endsAfter);
    }

    /**
     * Whether the guess found where a part ends: a record end, or the file's end outside quotes (a
     * guess inside quotes that no quote ended reaches the file's end without any record end).
     */
    private boolean endsPart() {
      return firstCut >= 0 || (ended && state != QUOTED);
    }

    /** The file ended after the last byte taken: inside a quoted field, a defect. */
    void endOfFile() {
      if (!done()) {
        ended = true;
        if (state == QUOTED) {
          defects++;
        }
      }
    }

    /** Whether nothing more is to be learnt from the bytes after. */
    boolean done() {
      return doneAt >= 0;
    }

    /**
     * Whether this guess is done with a cut, without a defect or with no quote since the place, and
     * {@code other}, not done, has read twice as many bytes from the place as this one needed, at
     * {@code at}.
     */
    boolean doneBefore(Guess other, long at, boolean quoteSeen) {
      return done()
          && (defects == 0 || !quoteSeen)
          && firstCut >= 0
          && !other.done()
          && at - wanted >= 2 * (doneAt - wanted) + 1;
    }

    /** Takes the byte at {@code at}, the byte after the last one taken. */
    void take(byte b, long at) {
      if (done()) {
        return;
      }
      if (firstCut >= 0 && at >= firstCut + CHECKED_BYTES) {
        doneAt = at;
        return;
      }
      if (recordEndedByReturn) {
        recordEndedByReturn = false;
        if (b != '\n') {
          recordEnd(at);
        }
      }
      if (firstCut < 0 && at >= longest) {
        beyond = true;
        doneAt = at;
        return;
      }
      if (step(b)) {
        recordEnd(at + 1);
      }
      if (endsAfter >= RECORDS_CHECKED && doneAt < 0) {
        doneAt = at + 1;
      }
    }

    private void recordEnd(long at) {
      boolean blank = bytesInRecord == 0;
      if (firstCut >= 0 && !blank) {
        // A record past the first cut, read whole. Blank lines tell nothing: a wrong guess reads
        // the line breaks of a quoted value as blank lines.
        endsAfter++;
        boolean wide = delimiters + 1 == width || (trailingDelimiter && delimiters == width);
        if (width > 0 && !wide) {
          defects++;
        }
      }
      delimiters = 0;
      bytesInRecord = 0;
      if (firstCut < 0 && at < size && at >= wanted) {
        firstCut = at;
      }
    }

    /** The quoting rules of {@link RecordSplitter}, any byte; whether a record ends after it. */
    private boolean step(byte b) {
      byte before = previous;
      previous = b;
      boolean lineFeed = b == '\n';
      boolean lineBreak = lineFeed || b == '\r';
      if (!lineBreak) {
        bytesInRecord++;
      }
      if (state != OUTSIDE) {
        state = QuotingState.inQuotes(state, b, quote);
        if (state != OUTSIDE) {
          return false;
        }
        if (!lineBreak && b != delimiter) {
          // Characters after a closing quote: a bad record, or the guess is wrong.
          defects++;
        }
      }
      if (lineBreak) {
        if (lineFeed && before == '\r') {
          return true;
        }
        recordEndedByReturn = !lineFeed;
        return lineFeed;
      }
      if (b == delimiter) {
        delimiters++;
      } else if (b == quote) {
        if (before == delimiter || before == '\n' || before == '\r') {
          state = QUOTED;
        } else {
          // A quote inside an unquoted field: a bad record, or the guess is wrong.
          defects++;
        }
      }
      return false;
    }
  }
}
