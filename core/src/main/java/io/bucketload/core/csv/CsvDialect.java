package io.bucketload.core.csv;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * How a file's CSV is written: the {@code format} section of a pipeline.
 *
 * @param delimiter the field separator
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
 */
public record CsvDialect(
    char delimiter,
    char quote,
    boolean header,
    Charset encoding,
    Set<String> nullValues,
    int maxFieldChars,
    int maxRecordChars) {
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
    Objects.requireNonNull(encoding, "encoding");
    nullValues = Set.copyOf(nullValues);
    if (delimiter == quote) {
      throw new IllegalArgumentException("the delimiter and the quote must differ");
    }
    if (delimiter == '\r' || delimiter == '\n' || quote == '\r' || quote == '\n') {
      throw new IllegalArgumentException("line breaks cannot be delimiters or quotes");
    }
    if (maxFieldChars < 16 || maxRecordChars < maxFieldChars) {
      throw new IllegalArgumentException("need 16 <= max_field_chars <= max_record_chars");
    }
  }
}
