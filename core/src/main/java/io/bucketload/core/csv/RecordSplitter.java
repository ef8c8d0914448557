package io.bucketload.core.csv;

import io.bucketload.core.source.FileBytes;
import io.bucketload.core.source.LocalFileBytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Cuts an uncompressed file into parts of about a given size that end where a record ends, so that
 * each part can be parsed on its own thread, and counts the lines before each part so that every
 * record keeps its exact line number.
 *
 * <p>It reads the bytes once, in order. Until a part reaches its size it only counts line breaks
 * and quotes, eight bytes at a time; from there it follows the reader's quoting rules to the next
 * record's end, starting in the state the count of quotes gives (inside a quoted field after an odd
 * number): a quote opens a quoted field only at the start of a field (after the delimiter or a line
 * break), a doubled quote inside a quoted field is a quote, characters after a closing quote make a
 * bad record that ends with its physical line, a quote inside an unquoted field is a character. A
 * part ends where a record ends (after its line feed, or after a carriage return alone), at or
 * after the part's size; never between a carriage return and its line feed, never inside a quoted
 * field of a file whose quotes are all in quoted fields. When no record ends within {@link
 * #maxPartBytes()} of a part's start, the rest of the file is one last part, a {@linkplain
 * Part#tail() tail}, and the file is not scanned further. The first part holds the skipped lines
 * and the header (and the first record, when it names the columns). Should a boundary still be
 * wrong, the reader of the part before it fails at that part's end: how the caller knows to read
 * the two parts as one (see {@link CsvRowReader#openPart}).
 *
 * <p>Once told to {@linkplain #guessCuts(int) guess its cuts}, it reads the parts after the first
 * only around the places they should end ({@link CutGuess}), and leaves counting their lines to
 * their readers: the parts after the second then carry {@link #UNKNOWN_LINES}.
 *
 * <p>Only files whose quote, delimiter and line breaks are single bytes that cannot occur inside a
 * multi-byte character can be cut: a one-character ASCII delimiter and quote, in UTF-8, US-ASCII,
 * ISO-8859-* or windows-125* text without a UTF-16 or UTF-32 byte order mark, not gzip. Parts are
 * found one at a time, as they are asked for. Thread-safe.
 */
public final class RecordSplitter implements AutoCloseable {
  /**
   * A byte range of the file that starts where a record starts.
   *
   * @param index 0 for the first part, which holds the header
   * @param start the first byte
   * @param end the byte after the last one
   * @param linesBefore the line breaks before {@code start} (LF, CR and CRLF each one)
   * @param last whether the part ends at the end of the file
   * @param tail whether the part is the rest of the file because no record ended within {@link
   *     #maxPartBytes()} of its start (a record that long, or a quote never closed): it is not cut
   *     further, and is best read as it streams, not held
   */
  public record Part(int index, long start, long end, long linesBefore, boolean last, boolean tail)
      implements java.io.Serializable {
    /** This part and the ones after it up to {@code other}, read as one. */
    public Part through(Part other) {
      return new Part(index, start, other.end(), linesBefore, other.last(), other.tail());
    }

    /**
     * Whether {@link #linesBefore()} is known: always, but for the parts after the second of a
     * splitter that {@linkplain #guessCuts(int) guesses its cuts}, whose readers count lines from
     * the part's start until the parts before are counted.
     */
    public boolean linesKnown() {
      return linesBefore != UNKNOWN_LINES;
    }

    /** This part, {@code lines} line breaks after the file's start. */
    public Part withLinesBefore(long lines) {
      return new Part(index, start, end, lines, last, tail);
    }
  }

  /** {@link Part#linesBefore()} of a part whose lines before are not counted yet. */
  public static final long UNKNOWN_LINES = -1;

  private static final int OUTSIDE = QuotingState.OUTSIDE;
  private static final int QUOTED = QuotingState.QUOTED;
  private static final int AFTER_QUOTE = QuotingState.AFTER_QUOTE;

  private final FileBytes bytes;

  /** The bytes scanned, in order, from the first read on. */
  private InputStream scan;

  private long scanned;
  private final long size;
  private final long partBytes;
  private final byte delimiter;
  private final byte quote;
  private final boolean trailingDelimiter;
  private final long quotes;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
  private long bufferStart;
  private int skipLines;
  private int firstPartRecords;

  private int state = OUTSIDE;

  /** Whether a carriage return ended a record and the byte after it is still to come. */
  private boolean recordEndedByReturn;

  private byte previous = '\n';

  /**
   * Up to where the current part's bytes are skimmed ({@link #skim}) instead of stepped through:
   * the byte before the part's size is reached.
   */
  private long skimTo;

  /** The number of quotes skimmed in the current part, odd or even. */
  private int quoteParity;

  private long position;
  private long lineBreaks;

  /** Where parts after the first end, once guessed ({@link #guessCuts(int)}); else null. */
  private CutGuess guess;

  private int nextIndex;
  private long partStart;

  private RecordSplitter(
      FileBytes bytes,
      long size,
      long partBytes,
      CsvDialect dialect,
      int firstPartRecords,
      int byteOrderMark) {
    this.bytes = bytes;
    this.size = size;
    this.partBytes = partBytes;
    this.delimiter = (byte) dialect.delimiter().charAt(0);
    this.quote = (byte) dialect.quote();
    this.trailingDelimiter = dialect.trailingDelimiter();
    this.quotes = ByteWords.everyByte(quote);
    this.skipLines = dialect.skipLines();
    this.firstPartRecords = firstPartRecords;
    this.position = byteOrderMark;
    this.bufferStart = byteOrderMark;
    buffer.limit(0);
  }

  /**
   * A splitter of {@code file}, or empty when the file cannot be cut safely (see the class comment)
   * or is smaller than two parts.
   *
   * @param partBytes the size a part reaches before it ends at the next record's end
   * @param dataInFirstRecord whether the first record is data that must be read with the first part
   *     (a file without header whose columns come from its first record)
   * @throws IOException when the file cannot be opened
   */
  public static Optional<RecordSplitter> open(
      Path file, CsvDialect dialect, long partBytes, boolean dataInFirstRecord) throws IOException {
    return open(new LocalFileBytes(file), dialect, partBytes, dataInFirstRecord);
  }

  /**
   * A splitter of a file's bytes (a local file, or an object read with ranged requests), or empty
   * when the file cannot be cut safely (see the class comment) or is smaller than two parts.
   *
   * @param partBytes the size a part reaches before it ends at the next record's end
   * @param dataInFirstRecord whether the first record is data that must be read with the first part
   * @throws IOException when the file cannot be read
   */
  public static Optional<RecordSplitter> open(
      FileBytes file, CsvDialect dialect, long partBytes, boolean dataInFirstRecord)
      throws IOException {
    long size = file.size();
    if (!splittable(dialect) || size < 2 * partBytes) {
      return Optional.empty();
    }
    byte[] head = head(file);
    if (!plainText(head)) {
      return Optional.empty();
    }
    int records = dialect.header() ? dialect.headerRows() : 0;
    boolean utf8Mark =
        (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf;
    return Optional.of(
        new RecordSplitter(
            file,
            size,
            partBytes,
            dialect,
            Math.max(records, dataInFirstRecord ? 1 : 0),
            utf8Mark ? 3 : 0));
  }

  /** Whether the dialect's delimiter, quote and encoding allow cutting the bytes. */
  public static boolean splittable(CsvDialect dialect) {
    return dialect.delimiter().length() == 1
        && ascii(dialect.delimiter().charAt(0))
        && ascii(dialect.quote())
        && byteOriented(dialect.encoding());
  }

  private static boolean ascii(char c) {
    return c > 0 && c < 0x80 && c != '\n' && c != '\r';
  }

  private static boolean byteOriented(Charset charset) {
    String name = charset.name().toUpperCase(Locale.ROOT);
    return name.equals("UTF-8")
        || name.equals("US-ASCII")
        || name.startsWith("ISO-8859-")
        || name.startsWith("WINDOWS-125");
  }

  /** The first four bytes (zeros past the end of a shorter file). */
  private static byte[] head(FileBytes file) throws IOException {
    byte[] head = new byte[4];
    try (InputStream in = file.open(0, Math.min(4, file.size()))) {
      in.readNBytes(head, 0, 4);
    }
    return head;
  }

  /** Not gzip, not UTF-16 or UTF-32 by its byte order mark. */
  private static boolean plainText(byte[] head) {
    int b0 = head[0] & 0xff;
    int b1 = head[1] & 0xff;
    boolean gzip = b0 == 0x1f && b1 == 0x8b;
    boolean wide = (b0 == 0xfe && b1 == 0xff) || (b0 == 0xff && b1 == 0xfe) || (b0 == 0 && b1 == 0);
    return !gzip && !wide;
  }

  /** The bytes cut. */
  public FileBytes bytes() {
    return bytes;
  }

  /** The file's size in bytes. */
  public long size() {
    return size;
  }

  /**
   * The next part, or empty after the last one.
   *
   * @throws IOException when the file cannot be read
   */
  public synchronized Optional<Part> next() throws IOException {
    if (partStart >= size) {
      return Optional.empty();
    }
    if (guess != null && nextIndex > 0) {
      return Optional.of(guessed());
    }
    long start = partStart;
    long linesBefore = lineBreaks;
    long wanted = start + partBytes;
    long longest = start + maxPartBytes();
    long end = size;
    boolean tail = false;
    byte[] bytes = buffer.array();
    skimTo = skipLines == 0 && firstPartRecords == 0 ? Math.min(wanted - 1, size) : start;
    quoteParity = 0;
    scan:
    while (position < size) {
      int offset = (int) (position - bufferStart);
      if (offset >= buffer.limit()) {
        fill();
        offset = 0;
      }
      int limit = buffer.limit();
      while (offset < limit) {
        long at = bufferStart + offset;
        if (recordEndedByReturn) {
          // A record ended with a carriage return alone (no line feed after it): a cut may go here.
          recordEndedByReturn = false;
          if (bytes[offset] != '\n' && cutsAt(at, wanted)) {
            position = at;
            end = at;
            break scan;
          }
        }
        if (at >= longest && firstPartRecords == 0) {
          tail = true;
          break scan;
        }
        if (at < skimTo) {
          int stop = (int) Math.min(limit, skimTo - bufferStart);
          skim(bytes, offset, stop);
          offset = stop;
          if (bufferStart + offset == skimTo) {
            stepOnFromSkim();
          }
          continue;
        }
        if (skipLines == 0) {
          int ordinary = ordinaryRun(bytes, offset, limit);
          if (ordinary > 0) {
            if (state == AFTER_QUOTE) {
              // The delimiter after a closing quote, or characters after it (a bad record).
              state = OUTSIDE;
            }
            offset += ordinary;
            previous = bytes[offset - 1];
            continue;
          }
        }
        boolean mayEnd = step(bytes[offset]);
        offset++;
        if (mayEnd && cutsAt(bufferStart + offset, wanted)) {
          position = bufferStart + offset;
          end = position;
          break scan;
        }
      }
      position = bufferStart + limit;
    }
    partStart = tail ? size : end;
    return Optional.of(new Part(nextIndex++, start, end, linesBefore, end >= size, tail));
  }

  /**
   * From the second part on, finds where each part ends by looking only at the bytes around the
   * place it should end ({@link CutGuess}), instead of reading every byte before it: the parts can
   * then be read as soon as they are asked for, and counting their lines is left to their readers.
   * The parts after the second carry {@link #UNKNOWN_LINES}. Where the file's quotes are all in
   * quoted fields, the cuts are those this splitter finds otherwise but where a guess is wrong (a
   * quoted value ending in the delimiter or a line break, with no other quote near it); a wrong cut
   * is found as any other is, by the reading of the part before it.
   */
  public synchronized void guessCuts(int width) {
    if (guess == null) {
      guess = new CutGuess(bytes, size, delimiter, quote, width, trailingDelimiter);
    }
  }

  /** Whether the parts after the first are cut where a guess says ({@link #guessCuts(int)}). */
  public synchronized boolean guessesCuts() {
    return guess != null;
  }

  /** The next part, found by {@link #guess}. */
  private Part guessed() throws IOException {
    long start = partStart;
    long wanted = start + partBytes;
    long lines = nextIndex == 1 ? lineBreaks : UNKNOWN_LINES;
    Part part;
    if (wanted >= size) {
      part = new Part(nextIndex, start, size, lines, true, false);
    } else {
      CutGuess.Cut cut = guess.at(wanted, start + maxPartBytes());
      if (cut instanceof CutGuess.At at) {
        part = new Part(nextIndex, start, at.at(), lines, false, false);
      } else {
        part = new Part(nextIndex, start, size, lines, true, cut instanceof CutGuess.Beyond);
      }
    }
    nextIndex++;
    partStart = part.tail() ? size : part.end();
    return part;
  }

  /**
   * The rest of the file from {@code part}'s start as one last {@linkplain Part#tail() tail}, for
   * when the parts from there on cannot be read apart; no part follows it.
   */
  public synchronized Part restFrom(Part part) {
    partStart = size;
    return new Part(part.index(), part.start(), size, part.linesBefore(), true, true);
  }

  /**
   * The line breaks of bytes {@code [start, end)} of {@code file} (LF, CR and CR LF each one; a
   * range never starts between a carriage return and its line feed), for a part whose reader could
   * not count them.
   *
   * @throws IOException when the file cannot be read
   */
  public static long lineBreaks(FileBytes file, long start, long end) throws IOException {
    long breaks = 0;
    long returnBefore = 0;
    byte[] block = new byte[1 << 16];
    try (InputStream in = file.open(start, end)) {
      for (int n = in.readNBytes(block, 0, block.length);
          n > 0;
          n = in.readNBytes(block, 0, block.length)) {
        int at = 0;
        for (; at + Long.BYTES <= n; at += Long.BYTES) {
          long word = ByteWords.at(block, at);
          long returns = ByteWords.equalBytes(word, ByteWords.RETURNS);
          breaks += lineBreaksIn(word, returns, returnBefore);
          returnBefore = returns >>> 56;
        }
        for (; at < n; at++) {
          byte b = block[at];
          if (b == '\r' || (b == '\n' && returnBefore == 0)) {
            breaks++;
          }
          returnBefore = b == '\r' ? 0x80L : 0;
        }
      }
    }
    return breaks;
  }

  /**
   * The line breaks of the eight bytes of {@code word}, whose carriage returns are {@code returns}
   * ({@link ByteWords#equalBytes}): a CR LF is one, so each line feed right after a carriage return
   * is not counted; {@code returnBefore} is {@code 0x80} when the byte before the word is one.
   */
  private static int lineBreaksIn(long word, long returns, long returnBefore) {
    long feeds = ByteWords.equalBytes(word, ByteWords.FEEDS);
    return Long.bitCount(feeds | returns) - Long.bitCount(((returns << 8) | returnBefore) & feeds);
  }

  /**
   * The most bytes a part may have before the rest of the file is handed over as one {@linkplain
   * Part#tail() tail}: 8 parts.
   */
  public long maxPartBytes() {
    return 8 * partBytes;
  }

  /**
   * Counts the line breaks of bytes {@code [from, to)} of the buffer as {@link #step} does, and the
   * parity of their quotes, eight bytes at a time, without looking for where records end: the part
   * cannot end among them. Leaves {@link #previous} at the last byte.
   */
  private void skim(byte[] bytes, int from, int to) {
    if (from == to) {
      return;
    }
    long breaks = 0;
    int quotesSeen = 0;
    // The high bit of the first byte's place when the byte before it is a carriage return.
    long returnBefore = previous == '\r' ? 0x80L : 0;
    int at = from;
    while (at + Long.BYTES <= to) {
      long word = ByteWords.at(bytes, at);
      long returns = ByteWords.equalBytes(word, ByteWords.RETURNS);
      breaks += lineBreaksIn(word, returns, returnBefore);
      quotesSeen += Long.bitCount(ByteWords.equalBytes(word, quotes));
      returnBefore = returns >>> 56;
      at += Long.BYTES;
    }
    byte before = at == from ? previous : bytes[at - 1];
    for (; at < to; at++) {
      byte b = bytes[at];
      if (b == '\r' || (b == '\n' && before != '\r')) {
        breaks++;
      } else if (b == quote) {
        quotesSeen++;
      }
      before = b;
    }
    lineBreaks += breaks;
    quoteParity ^= quotesSeen & 1;
    previous = bytes[to - 1];
  }

  /**
   * Takes up the quoting rules where {@link #skim} stopped, in the state a file whose quotes are
   * all in quoted fields has there: inside a quoted field after an odd number of quotes since the
   * part began, right after its closing quote when the last byte was one, else outside. A quote
   * inside an unquoted field (a defect) can mislead it; the reader of the part then fails at its
   * end and the part is read again with the next ({@link CsvRowReader#openPart}).
   */
  private void stepOnFromSkim() {
    if (quoteParity == 1) {
      state = QUOTED;
    } else if (previous == quote) {
      state = AFTER_QUOTE;
    } else {
      state = OUTSIDE;
      recordEndedByReturn = previous == '\r';
    }
  }

  /** Whether a part that started earlier may end just before {@code at}. */
  private boolean cutsAt(long at, long wanted) {
    return at >= wanted && firstPartRecords == 0 && at < size;
  }

  /**
   * How many bytes from {@code offset} are neither a line break nor the quote, eight bytes at a
   * time.
   */
  private int ordinaryRun(byte[] bytes, int offset, int limit) {
    int at = offset;
    while (at + Long.BYTES <= limit) {
      long word = ByteWords.at(bytes, at);
      long found =
          ByteWords.equalBytes(word, ByteWords.FEEDS)
              | ByteWords.equalBytes(word, ByteWords.RETURNS)
              | ByteWords.equalBytes(word, quotes);
      if (found != 0) {
        return at - offset + ByteWords.firstByte(found);
      }
      at += Long.BYTES;
    }
    while (at < limit) {
      byte b = bytes[at];
      if (b == '\n' || b == '\r' || b == quote) {
        break;
      }
      at++;
    }
    return at - offset;
  }

  private void fill() throws IOException {
    if (scan == null || scanned != position) {
      if (scan != null) {
        scan.close();
      }
      scan = bytes.open(position, size);
      scanned = position;
    }
    buffer.clear();
    bufferStart = position;
    byte[] array = buffer.array();
    int filled = 0;
    for (int n = 0; filled < array.length && n >= 0; ) {
      n = scan.read(array, filled, array.length - filled);
      filled += Math.max(0, n);
    }
    scanned += filled;
    buffer.limit(filled);
    if (filled == 0) {
      throw new java.io.EOFException("the file became shorter while it was read");
    }
  }

  /**
   * Takes one byte (a line break or the quote, or any byte of a skipped line) through the quoting
   * rules; returns whether a part may end after it: a line feed that ends a record (or the line
   * feed of a CR LF that did).
   */
  private boolean step(byte b) {
    byte before = previous;
    previous = b;
    boolean lineFeed = b == '\n';
    boolean lineBreak = lineFeed || b == '\r';
    boolean secondHalf = lineFeed && before == '\r';
    if (lineBreak && !secondHalf) {
      lineBreaks++;
    }
    if (skipLines > 0) {
      if (lineBreak && !secondHalf) {
        skipLines--;
      }
      return false;
    }
    if (state != OUTSIDE) {
      state = QuotingState.inQuotes(state, b, quote);
      if (state != OUTSIDE) {
        return false;
      }
    }
    if (lineBreak) {
      if (secondHalf) {
        return true;
      }
      boolean emptyLine = before == '\n' || before == '\r';
      if (!emptyLine && firstPartRecords > 0) {
        firstPartRecords--;
      }
      recordEndedByReturn = !lineFeed;
      return lineFeed;
    }
    if (before == delimiter || before == '\n' || before == '\r') {
      state = QUOTED;
    }
    return false;
  }

  @Override
  public synchronized void close() throws IOException {
    if (scan != null) {
      scan.close();
    }
  }
}
