package io.bucketload.core.csv;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Builds {@link RawRow}s from FastCSV's callbacks: applies NULL to unquoted null values and marks a
 * record over the field or record size limit, without keeping its fields.
 */
final class RowHandler extends AbstractBaseCsvCallbackHandler<RawRow> {
  private static final String[] EMPTY = new String[0];

  /** The reason a record with a bare quote is rejected. */
  static final String BARE_QUOTE = "a quote inside an unquoted field";

  static final String NO_TRAILING_DELIMITER =
      "the line does not end with the delimiter, as format.trailing_delimiter: true says every"
          + " line does (a line cut short?)";

  private final Set<String> nullValues;
  private final char quote;
  private final boolean rejectBareQuotes;
  private final boolean trailingDelimiter;
  private long lineOffset;
  private java.util.function.LongConsumer recordStarted = line -> {};
  private Optional<RawRow.Defect> defect = Optional.empty();
  private boolean lastQuoted;
  private boolean bareQuote;
  private final boolean emptyIsNull;

  /** Whether a null value other than the empty one is configured ({@code n/a}, {@code NULL}). */
  private final boolean otherNullValues;

  private final int maxFieldChars;
  private final int maxRecordChars;
  private long recordChars;
  private RawRow.Oversize oversize = RawRow.Oversize.NONE;
  private String[] fields = new String[32];
  private int count;
  private long line;
  private final String delimiter;
  private int previousWidth;
  private long breaksBefore;
  private RecordsInQuotes recordsInQuotes;

  RowHandler(CsvDialect dialect) {
    this.nullValues = dialect.nullValues();
    this.quote = dialect.quote();
    this.rejectBareQuotes = dialect.bareQuotes() == CsvDialect.BareQuotes.REJECT;
    this.trailingDelimiter = dialect.trailingDelimiter();
    this.emptyIsNull = nullValues.contains("");
    this.otherNullValues = nullValues.size() > (emptyIsNull ? 1 : 0);
    this.maxFieldChars = dialect.maxFieldChars();
    this.maxRecordChars = dialect.maxRecordChars();
    this.delimiter = dialect.delimiter();
  }

  /**
   * The first quoted value holding lines shaped like records, with how many such values there were.
   */
  java.util.Optional<RecordsInQuotes> recordsInQuotes() {
    return java.util.Optional.ofNullable(recordsInQuotes);
  }

  long currentLine() {
    return line;
  }

  /** Lines of the file that come before what the parser reads (skipped, or read before). */
  void lineOffset(long lines) {
    this.lineOffset = lines;
  }

  long lineOffset() {
    return lineOffset;
  }

  /** Told the parser's own line number of each record as it starts. */
  void onRecordStart(java.util.function.LongConsumer listener) {
    this.recordStarted = listener;
  }

  @Override
  protected void handleBegin(long startingLineNumber) {
    recordStarted.accept(startingLineNumber);
    line = startingLineNumber + lineOffset;
    count = 0;
    recordChars = 0;
    oversize = RawRow.Oversize.NONE;
    defect = Optional.empty();
    bareQuote = false;
    lastQuoted = false;
    breaksBefore = 0;
  }

  @Override
  protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
    recordChars += len + 1;
    if (oversize != RawRow.Oversize.NONE) {
      return;
    }
    if (len > maxFieldChars || recordChars > maxRecordChars) {
      oversize = len > maxFieldChars ? RawRow.Oversize.FIELD : RawRow.Oversize.RECORD;
      return;
    }
    if (count == fields.length) {
      fields = Arrays.copyOf(fields, count * 2);
    }
    String value;
    lastQuoted = quoted;
    if (quoted) {
      value = new String(buf, offset, len);
      int breaks = previousWidth > 1 ? lineBreaks(buf, offset, len) : 0;
      if (breaks > 0) {
        noteRecordLikeLines(value, line + breaksBefore);
        breaksBefore += breaks;
      }
    } else if (len == 0) {
      value = emptyIsNull ? null : "";
    } else {
      value = new String(buf, offset, len);
      if (rejectBareQuotes && !bareQuote && contains(buf, offset, len, quote)) {
        bareQuote = true;
        defect = Optional.of(new RawRow.Defect(count, value, BARE_QUOTE));
      }
      if (otherNullValues && nullValues.contains(value)) {
        value = null;
      }
    }
    fields[count++] = value;
  }

  private static boolean contains(char[] buf, int offset, int len, char wanted) {
    for (int i = offset, end = offset + len; i < end; i++) {
      if (buf[i] == wanted) {
        return true;
      }
    }
    return false;
  }

  /** The line breaks in a value: LF, CR, and CRLF as one. */
  private static int lineBreaks(char[] buf, int offset, int len) {
    int breaks = 0;
    for (int i = offset, end = offset + len; i < end; i++) {
      if (buf[i] == '\n') {
        breaks++;
      } else if (buf[i] == '\r' && (i + 1 == end || buf[i + 1] != '\n')) {
        breaks++;
      }
    }
    return breaks;
  }

  /**
   * Counts the lines after a quoted value's first that hold exactly as many delimiters as the
   * previous record's fields need ({@code previousWidth - 1}), and keeps the value when they are
   * {@value RecordsInQuotes#REPORTED_FROM} or more.
   */
  private void noteRecordLikeLines(String value, long firstLine) {
    recordsInQuotes =
        RecordsInQuotes.noting(
            recordsInQuotes, value, delimiter, previousWidth, line, count, firstLine);
  }

  /**
   * Goes on from records read before this handler: the width of the last one (what record-shaped
   * lines are measured against) and the first record-shaped value they held.
   */
  void continueFrom(int width, Optional<RecordsInQuotes> found) {
    this.previousWidth = width;
    this.recordsInQuotes = found.orElse(null);
  }

  @Override
  protected RawRow buildRecord() {
    previousWidth = count;
    if (oversize != RawRow.Oversize.NONE) {
      return new RawRow(line, EMPTY, oversize);
    }
    int kept = count;
    if (trailingDelimiter) {
      boolean endsWithDelimiter =
          count > 1 && !lastQuoted && (fields[count - 1] == null || fields[count - 1].isEmpty());
      if (endsWithDelimiter) {
        kept--;
      } else if (defect.isEmpty() && (count > 1 || (fields[0] != null && !fields[0].isEmpty()))) {
        // A blank line is left to the reader; a header may lack it (the reader ignores the defect).
        defect =
            Optional.of(
                new RawRow.Defect(
                    count - 1,
                    fields[count - 1] == null ? "" : fields[count - 1],
                    NO_TRAILING_DELIMITER));
      }
    }
    return new RawRow(line, Arrays.copyOf(fields, kept), RawRow.Oversize.NONE, defect);
  }
}
