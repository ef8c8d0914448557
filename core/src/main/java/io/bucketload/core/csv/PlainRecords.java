package io.bucketload.core.csv;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the records of UTF-8 text as bytes, for the records whose reading is beyond doubt: fields
 * unquoted without a quote inside, or quoted and closed right before a delimiter or the line's end;
 * line breaks LF or CRLF (LF only inside quotes); valid UTF-8; within the size limits by their byte
 * counts. Blank lines are skipped, as the text parser skips them.
 *
 * <p>At the first record that is anything else (a defect to reject, a value over a limit, invalid
 * text, a quote never closed, a lone carriage return) it stops before that record's first byte and
 * {@link #rest()} hands the rest of the file to the text parser, which decides. Read this way or
 * that, a file gives the same records, lines, rejects and failures.
 */
final class PlainRecords {
  /** What {@link #next()} found. */
  enum Step {
    /** A record, in {@link #record()}. */
    RECORD,
    /** The end of the file. */
    END,
    /** A record this reader leaves to the text parser: {@link #rest()} starts with it. */
    HANDED_OVER
  }

  /**
   * How many bytes {@link #readAhead()} has follow each record's first byte (a quarter of a smaller
   * buffer), unless the input ends first.
   */
  private static final int MOST_AHEAD = 1 << 16;

  /** The buffer a reader starts with; it grows to hold a longer record. */
  static final int FIRST_BUFFER = 1 << 18;

  /**
   * The most the buffer grows to: a longer record (possible only with a {@code max_record_chars}
   * near its own largest value) goes to the text parser, which tells it does not fit.
   */
  private static final int LARGEST_BUFFER = 1 << 30;

  private static final byte LF = '\n';
  private static final byte CR = '\r';

  private final InputStream in;

  /** Whether {@link #readAhead()} reads on before each record. */
  private final boolean readsAhead;

  private final byte delimiter;
  private final byte quote;
  private final String delimiterText;
  private final int maxFieldChars;
  private final int maxRecordChars;
  private final ByteRecord record;

  /**
   * The bytes that end an unquoted field's plain run: the delimiter, the quote, CR, LF, and every
   * byte of a multi-byte character (the record's text is then checked as UTF-8).
   */
  private final boolean[] stops = new boolean[256];

  /** The bytes that end a plain run inside quotes: {@link #stops} but the delimiter. */
  private final boolean[] stopsInQuotes = new boolean[256];

  private final long delimiterWord;
  private final long quoteWord;

  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private byte[] buffer;
  private int position;
  private int limit;
  private boolean endOfInput;
  private long linesBefore;
  private int previousWidth;
  private RecordsInQuotes recordsInQuotes;

  /**
   * Whether {@code dialect}, with text in {@code charset}, is one this reader reads as the text
   * parser would: UTF-8, a one-character ASCII delimiter and quote, the empty value as the only
   * null value, no lines skipped, a header of at most one row, no trailing delimiter.
   */
  static boolean reads(CsvDialect dialect, java.nio.charset.Charset charset) {
    return charset.equals(StandardCharsets.UTF_8)
        && dialect.delimiter().length() == 1
        && dialect.delimiter().charAt(0) < 0x80
        && dialect.quote() < 0x80
        && dialect.nullValues().stream().allMatch(String::isEmpty)
        && dialect.skipLines() == 0
        && dialect.headerRows() == 1
        && !dialect.trailingDelimiter();
  }

  /**
   * Reads {@code in}, whose first byte starts the line after {@code linesBefore}, with a buffer of
   * {@code firstBuffer} bytes at first; the record before it had {@code widthBefore} fields (0 for
   * none), which its first record's quoted values are measured against for lines shaped like
   * records. With {@code readsAhead}, the input is read ahead of each record ({@link
   * #readAhead()}); else only when a record reaches the buffer's end.
   */
  PlainRecords(
      InputStream in,
      CsvDialect dialect,
      long linesBefore,
      int firstBuffer,
      int widthBefore,
      boolean readsAhead) {
    this.in = in;
    this.readsAhead = readsAhead;
    this.previousWidth = widthBefore;
    this.buffer = new byte[firstBuffer];
    this.linesBefore = linesBefore;
    this.delimiter = (byte) dialect.delimiter().charAt(0);
    this.quote = (byte) dialect.quote();
    this.delimiterText = dialect.delimiter();
    this.maxFieldChars = dialect.maxFieldChars();
    this.maxRecordChars = dialect.maxRecordChars();
    this.record = new ByteRecord(dialect.quote(), dialect.nullValues().contains(""));
    this.delimiterWord = ByteWords.everyByte(delimiter);
    this.quoteWord = ByteWords.everyByte(quote);
    for (int b = 0x80; b < 0x100; b++) {
      stops[b] = true;
      stopsInQuotes[b] = true;
    }
    for (byte b : new byte[] {quote, LF, CR}) {
      stops[b] = true;
      stopsInQuotes[b] = true;
    }
    stops[delimiter & 0xFF] = true;
  }

  /** The record {@link #next()} read last. */
  ByteRecord record() {
    return record;
  }

  /**
   * Reads the next record.
   *
   * @throws IOException when the stream fails
   */
  Step next() throws IOException {
    while (true) {
      readAhead();
      if (position == limit && !fill(position)) {
        return Step.END;
      }
      byte first = buffer[position];
      if (first == LF) {
        position++;
        linesBefore++;
        // The text parser takes a blank line as a record without fields, which the record after
        // it is measured against for lines shaped like records.
        previousWidth = 0;
        continue;
      }
      if (first == CR) {
        if (position + 1 == limit) {
          fill(position);
        }
        if (position + 1 == limit || buffer[position + 1] != LF) {
          return Step.HANDED_OVER;
        }
        position += 2;
        linesBefore++;
        previousWidth = 0;
        continue;
      }
      int end = scan(position);
      if (end >= 0) {
        return Step.RECORD;
      }
      if (end == HAND_OVER || (!fill(position) && !endOfInput)) {
        return Step.HANDED_OVER;
      }
    }
  }

  private static final int MORE = -1;
  private static final int HAND_OVER = -2;

  /**
   * Reads the record starting at {@code from} into {@link #record}: its end (past its line break),
   * {@link #MORE} when the buffer ends before the input does, or {@link #HAND_OVER}.
   */
  private int scan(int from) {
    byte[] bytes = buffer;
    int end = limit;
    long line = linesBefore + 1;
    record.begin(line, bytes);
    int[] bounds = record.bounds();
    byte[] quotings = record.quoting();
    int fields = 0;
    int p = from;
    int breaks = 0;
    int bits = 0;
    long recordChars = 0;
    while (true) {
      int start = p;
      int fieldEnd;
      byte quoting = ByteRecord.UNQUOTED;
      if (p < end && bytes[p] == quote) {
        quoting = ByteRecord.QUOTED;
        start = ++p;
        while (true) {
          p = nextStop(bytes, p, end, quoteWord, stopsInQuotes);
          while (p < end && bytes[p] != quote) {
            byte b = bytes[p];
            if (b == LF) {
              breaks++;
            } else if (b == CR) {
              return HAND_OVER;
            } else if (b < 0) {
              bits = -1;
            }
            // Else another control character, which the word test stops at too: a plain byte.
            p = nextStop(bytes, p + 1, end, quoteWord, stopsInQuotes);
          }
          if (p == end) {
            return endOfInput ? HAND_OVER : MORE;
          }
          if (p + 1 == end && !endOfInput) {
            return MORE;
          }
          if (p + 1 < end && bytes[p + 1] == quote) {
            quoting = ByteRecord.DOUBLED_QUOTES;
            p += 2;
            continue;
          }
          break;
        }
        fieldEnd = p++;
      } else {
        p = nextStop(bytes, p, end, delimiterWord, stops);
        while (p < end && passes(bytes[p])) {
          if (bytes[p] < 0) {
            bits = -1;
          }
          p = nextStop(bytes, p + 1, end, delimiterWord, stops);
        }
        if (p < end && bytes[p] == quote) {
          return HAND_OVER;
        }
        fieldEnd = p;
      }
      if (p == end && !endOfInput) {
        return MORE;
      }
      int length = fieldEnd - start;
      recordChars += length + 1;
      if (length > maxFieldChars || recordChars > maxRecordChars) {
        return HAND_OVER;
      }
      if (fields == quotings.length) {
        record.grow();
        bounds = record.bounds();
        quotings = record.quoting();
      }
      bounds[2 * fields] = start;
      bounds[2 * fields + 1] = fieldEnd;
      quotings[fields++] = quoting;
      if (p == end) {
        record.fields(fields);
        return finish(from, line, breaks, bits, p);
      }
      byte after = bytes[p];
      if (after == delimiter) {
        p++;
        continue;
      }
      if (after == LF) {
        record.fields(fields);
        return finish(from, line, breaks, bits, p + 1);
      }
      if (after == CR && p + 1 < end && bytes[p + 1] == LF) {
        record.fields(fields);
        return finish(from, line, breaks, bits, p + 2);
      }
      if (after == CR && p + 1 == end && !endOfInput) {
        return MORE;
      }
      return HAND_OVER;
    }
  }

  /**
   * The first byte from {@code p} on that is one of {@code stops} (as a table), or {@code end}:
   * eight bytes per step, where {@code stopWord} holds, in every byte, the one byte of {@code
   * stops} besides the quote, CR, LF and the bytes that are not ASCII. Small enough to be compiled
   * into its caller.
   */
  private int nextStop(byte[] bytes, int p, int end, long stopWord, boolean[] stops) {
    while (p + 8 <= end) {
      long found = stopBytes(ByteWords.at(bytes, p), stopWord);
      if (found != 0) {
        return p + ByteWords.firstByte(found);
      }
      p += 8;
    }
    return nextStopByte(bytes, p, end, stops);
  }

  /**
   * The high bit of each byte of {@code word} that {@link #nextStop} stops at, exact up to the
   * first: {@code stopWord}'s byte, the quote, the bytes that are not ASCII, and the control
   * characters (below 0x20), which hold CR and LF and cost one subtraction for all; the caller
   * reads on past the others ({@link #passes}).
   */
  private long stopBytes(long word, long stopWord) {
    return ByteWords.equalBytes(word, stopWord)
        | ByteWords.equalBytes(word, quoteWord)
        | ByteWords.belowSpaceOrHigh(word);
  }

  /**
   * Whether an unquoted field reads on past {@code b}, a byte {@link #nextStop} stopped at: a byte
   * that is not ASCII (its record is then checked as UTF-8), or a control character other than CR,
   * LF, the delimiter and the quote (either may be one).
   */
  private boolean passes(byte b) {
    return b < 0 || (b < 0x20 && b != LF && b != CR && b != delimiter && b != quote);
  }

  /** {@link #nextStop} byte by byte, for the last bytes of the buffer. */
  private static int nextStopByte(byte[] bytes, int p, int end, boolean[] stops) {
    while (p < end && !stops[bytes[p] & 0xFF]) {
      p++;
    }
    return p;
  }

  /** Ends the record at {@code next}, the first byte after it, when its text is valid. */
  private int finish(int from, long line, int breaks, int bits, int next) {
    if ((bits < 0 || breaks >= RecordsInQuotes.REPORTED_FROM)
        && !checked(from, line, breaks, bits, next)) {
      return HAND_OVER;
    }
    record.ascii(bits >= 0);
    previousWidth = record.fieldCount();
    position = next;
    linesBefore += breaks + (buffer[next - 1] == LF ? 1 : 0);
    return next;
  }

  /**
   * Whether a record that is not all ASCII is valid UTF-8; notes its record-shaped values when it
   * has enough line breaks to hold one ({@link RecordsInQuotes#REPORTED_FROM}).
   */
  private boolean checked(int from, long line, int breaks, int bits, int next) {
    if (bits < 0 && !validUtf8(from, next)) {
      return false;
    }
    if (breaks >= RecordsInQuotes.REPORTED_FROM) {
      // A value reported holds at least as many line breaks as record-shaped lines.
      record.ascii(bits >= 0);
      noteRecordLikeLines(line);
    }
    return true;
  }

  private boolean validUtf8(int from, int to) {
    try {
      utf8.reset().decode(ByteBuffer.wrap(buffer, from, to - from));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * Keeps the record's first quoted value holding lines shaped like records, as the parser does.
   */
  private void noteRecordLikeLines(long line) {
    if (previousWidth <= 1) {
      return;
    }
    long breaksBefore = 0;
    for (int i = 0; i < record.fieldCount(); i++) {
      if (record.unquoted(i)) {
        continue;
      }
      String value = record.text(i);
      int breaks = RecordsInQuotes.lineBreaks(value);
      if (breaks == 0) {
        continue;
      }
      recordsInQuotes =
          RecordsInQuotes.noting(
              recordsInQuotes, value, delimiterText, previousWidth, line, i, line + breaksBefore);
      breaksBefore += breaks;
    }
  }

  /**
   * Reads on until {@link #MOST_AHEAD} bytes (a quarter of a smaller buffer) follow the next
   * record's first byte, or the input ends, moving the bytes kept to the buffer's start when it has
   * no room left. A record shorter than that is then read whole from the buffer, and {@link #scan}
   * meets the buffer's end only at the input's end or in a longer record. The JIT compiles {@code
   * scan} for the paths its first records took: a record cut by the buffer's end where none had
   * been (inside quotes, after a closing quote, at a field's start) threw that compilation away and
   * ran {@code scan} in slower code until it was compiled again, three times in a 1,000,000-row
   * load (docs/performance.md).
   */
  private void readAhead() throws IOException {
    int ahead = Math.min(MOST_AHEAD, buffer.length / 4);
    if (!readsAhead || endOfInput || limit - position >= ahead) {
      return;
    }
    if (buffer.length - position < ahead) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
    while (limit - position < ahead) {
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        endOfInput = true;
        return;
      }
      limit += read;
    }
  }

  /**
   * Reads more of the input, keeping the bytes from {@code keepFrom} on; false when nothing more
   * was read: the input ended ({@link #endOfInput}), or the record is longer than the limits allow.
   */
  private boolean fill(int keepFrom) throws IOException {
    if (endOfInput) {
      return false;
    }
    int kept = limit - keepFrom;
    if (kept > maxRecordChars + 2L) {
      return false;
    }
    if (keepFrom > 0) {
      System.arraycopy(buffer, keepFrom, buffer, 0, kept);
    } else if (kept == buffer.length) {
      if (buffer.length >= LARGEST_BUFFER) {
        return false;
      }
      buffer =
          Arrays.copyOf(
              buffer, buffer.length > LARGEST_BUFFER / 2 ? LARGEST_BUFFER : buffer.length * 2);
    }
    position -= keepFrom;
    limit = kept;
    int read = in.read(buffer, limit, buffer.length - limit);
    if (read < 0) {
      endOfInput = true;
      return false;
    }
    limit += read;
    return true;
  }

  /** Lines of the file before the record {@link #next()} reads next (or handed over). */
  long linesBefore() {
    return linesBefore;
  }

  /** How many fields the last record read had. */
  int previousWidth() {
    return previousWidth;
  }

  /** The first quoted value read that holds lines shaped like records, with their count. */
  Optional<RecordsInQuotes> recordsInQuotes() {
    return Optional.ofNullable(recordsInQuotes);
  }

  /** The input from the first byte not read as a record: what the text parser reads on. */
  InputStream rest() {
    byte[] left = Arrays.copyOfRange(buffer, position, limit);
    return new SequenceInputStream(new ByteArrayInputStream(left), in);
  }
}
