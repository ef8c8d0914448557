package io.bucketload.core.csv;

import io.bucketload.core.source.FileBytes;
import java.io.IOException;
import java.io.InputStream;

/**
 * Finds where a part of a file may end by looking only at the bytes around the place it should end,
 * without the bytes before it: whether that place lies inside a quoted field is guessed, not
 * counted. Both guesses are followed through the same quoting rules as {@link RecordSplitter}'s for
 * a few records past the first record end at or after the place; the one that reads as a
 * well-formed file (no characters after a closing quote, no quote inside an unquoted field, records
 * of the header's width, no quote left open at the file's end) wins; of two that read as well, the
 * one that read more records, outside quotes when they read as many. A wrong guess cuts inside a
 * quoted field; the part before the cut then fails at its end and is read again with the next, as
 * after any wrong cut. Thread-safe: every call reads on its own.
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

  /**
   * @param width the fields a record has (the header's), or 0 when not known
   */
  CutGuess(FileBytes bytes, long size, byte delimiter, byte quote, int width) {
    this.bytes = bytes;
    this.size = size;
    this.delimiter = delimiter;
    this.quote = quote;
    this.width = width;
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
      while (n > 0 && !(outside.settled() && inside.settled())) {
        for (int i = offset; i < n && !(outside.settled() && inside.settled()); i++, at++) {
          outside.take(block[i], at);
          inside.take(block[i], at);
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
      return chosen.beyond ? new Beyond() : new AtEnd();
    }
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
    private boolean beyond;

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
     * Whether this guess reads better than {@code other}: fewer defects, or as few and more whole
     * records read after its cut.
     */
    boolean likelierThan(Guess other) {
      return defects < other.defects || (defects == other.defects && endsAfter > other.endsAfter);
    }

    /** The file ended after the last byte taken: inside a quoted field, a defect. */
    void endOfFile() {
      if (!settled() && state == QUOTED) {
        defects++;
      }
    }

    /** Whether nothing more is to be learnt from the bytes after. */
    boolean settled() {
      return defects > 0 || beyond || endsAfter >= RECORDS_CHECKED;
    }

    /** Takes the byte at {@code at}, the byte after the last one taken. */
    void take(byte b, long at) {
      if (settled()) {
        return;
      }
      if (firstCut >= 0 && at >= firstCut + CHECKED_BYTES) {
        endsAfter = RECORDS_CHECKED;
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
        return;
      }
      if (step(b)) {
        recordEnd(at + 1);
      }
    }

    private void recordEnd(long at) {
      boolean blank = bytesInRecord == 0;
      if (firstCut >= 0 && !blank) {
        // A record past the first cut, read whole. Blank lines tell nothing: a wrong guess reads
        // the line breaks of a quoted value as blank lines.
        endsAfter++;
        if (width > 0 && delimiters + 1 != width) {
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
