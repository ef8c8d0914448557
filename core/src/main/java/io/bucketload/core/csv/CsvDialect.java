package io.bucketload.core.csv;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * How a file's CSV is written: the {@code format} section of a pipeline.
 *
 * @param delimiter the field separator: one character or several ({@code "||"}, {@code ", "})
 * @param quote the quote character
 * @param header whether the first record names the columns
 * @param encoding the character set; a byte order mark, when present, wins
 * @param nullValues unquoted values that mean NULL (by default only the empty value)
 * @param maxFieldChars the longest field accepted; a record with a longer one is a reject naming
 *     its line
 * @param maxRecordChars the longest record accepted; a longer one is a reject naming its line, and
 *     one with a field that does not fit the parser's buffer ({@code maxRecordChars} + 64 Ki,
 *     rounded up to a power of two; usually a quote that is never closed) fails the file naming the
 *     line where the record started
 * @param bareQuotes what a quote inside an unquoted field makes of its record
 * @param trailingDelimiter whether every record ends with a delimiter: the one empty field after it
 *     is dropped
 * @param skipLines physical lines before the header (or the first record) that are not CSV: a
 *     title, an export banner
 * @param headerRows how many records the header spans; their names are joined with a space
 */
public record CsvDialect(
    String delimiter,
    char quote,
    boolean header,
    Charset encoding,
    Set<String> nullValues,
    int maxFieldChars,
    int maxRecordChars,
    BareQuotes bareQuotes,
    boolean trailingDelimiter,
    int skipLines,
    int headerRows) {
  /** What a quote character inside an unquoted field ({@code ab"c}) does. */
  public enum BareQuotes {
    /**
     * The record is a reject ({@code a quote inside an unquoted field}): RFC 4180 forbids it, and
     * it is how a lost delimiter before a quoted field shows.
     */
    REJECT,
    /** The quote is kept as a character of the field, for producers known to write them. */
    KEEP
  }

  /** A dialect with the defaults for the settings it does not name. */
  public CsvDialect(
      char delimiter,
      char quote,
      boolean header,
      Charset encoding,
      Set<String> nullValues,
      int maxFieldChars,
      int maxRecordChars) {
    this(
        String.valueOf(delimiter),
        quote,
        header,
        encoding,
        nullValues,
        maxFieldChars,
        maxRecordChars,
        BareQuotes.REJECT,
        false,
        0,
        1);
  }

  /** Default {@link #maxFieldChars()}: 1 MiB of characters. */
  public static final int DEFAULT_MAX_FIELD_CHARS = 1 << 20;

  /** Default {@link #maxRecordChars()}: 4 MiB of characters. */
  public static final int DEFAULT_MAX_RECORD_CHARS = 4 << 20;

  /** The defaults: comma, double quote, a header, UTF-8, empty means NULL. */
  public static final CsvDialect DEFAULT =
      new CsvDialect(
          ',',
          '"',
          true,
          StandardCharsets.UTF_8,
          Set.of(""),
          DEFAULT_MAX_FIELD_CHARS,
          DEFAULT_MAX_RECORD_CHARS);

  /** Checks the settings. */
  public CsvDialect {
    Objects.requireNonNull(delimiter, "delimiter");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(bareQuotes, "bareQuotes");
    nullValues = Set.copyOf(nullValues);
    if (delimiter.isEmpty() || delimiter.length() > 16) {
      throw new IllegalArgumentException("the delimiter has 1 to 16 characters");
    }
    if (delimiter.indexOf(quote) >= 0) {
      throw new IllegalArgumentException("the delimiter cannot contain the quote character");
    }
    if (delimiter.indexOf('\r') >= 0
        || delimiter.indexOf('\n') >= 0
        || quote == '\r'
        || quote == '\n') {
      throw new IllegalArgumentException("line breaks cannot be delimiters or quotes");
    }
    if (skipLines < 0 || headerRows < 1 || headerRows > 16) {
      throw new IllegalArgumentException("need skip_lines >= 0 and 1 <= header_rows <= 16");
    }
    if (maxFieldChars < 16 || maxRecordChars < maxFieldChars) {
      throw new IllegalArgumentException("need 16 <= max_field_chars <= max_record_chars");
    }
  }
}
