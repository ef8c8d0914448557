package io.bucketload.core.csv;

/**
 * A quoted value that holds lines shaped like records (exactly as many delimiters as the record
 * before it): what a quote without its partner does, turning every line up to the next quote into
 * one value. The file still reads as valid CSV, so this is a warning, not a failure.
 *
 * @param line the line the record with the value starts on
 * @param field the 0-based index of the value's field
 * @param recordLikeLines how many of the value's lines are shaped like records
 * @param lastLine the line the value ends on
 * @param values how many such values the reading met (this is the first)
 */
public record RecordsInQuotes(long line, int field, int recordLikeLines, long lastLine, long values)
    implements java.io.Serializable {
  /**
   * The fewest record-shaped lines a value must hold to be reported: a quoted address or note of a
   * line or two that happens to hold commas is common and meant.
   */
  public static final int REPORTED_FROM = 3;

  /**
   * What is known after {@code value}, a quoted value with line breaks, was read: {@code first}
   * counted once more, or this value as the first (when {@code first} is null), when it holds
   * {@link #REPORTED_FROM} or more lines shaped like records of {@code width} fields; else {@code
   * first} as it was.
   *
   * @param line the line the record with the value starts on
   * @param field the 0-based index of the value's field
   * @param valueLine the line the value starts on
   */
  static RecordsInQuotes noting(
      RecordsInQuotes first,
      String value,
      String delimiter,
      int width,
      long line,
      int field,
      long valueLine) {
    int recordLike = recordLikeLines(value, delimiter, width);
    if (recordLike < REPORTED_FROM) {
      return first;
    }
    return first == null
        ? new RecordsInQuotes(line, field, recordLike, valueLine + lineBreaks(value), 1)
        : first.plus(1);
  }

  /** The same first value, counted {@code more} more times. */
  RecordsInQuotes plus(long more) {
    return new RecordsInQuotes(line, field, recordLikeLines, lastLine, values + more);
  }

  /** The earlier (by line) of two readings' first values, with both counts. */
  public RecordsInQuotes merge(RecordsInQuotes other) {
    RecordsInQuotes first = other.line < line ? other : this;
    return new RecordsInQuotes(
        first.line, first.field, first.recordLikeLines, first.lastLine, values + other.values);
  }

  /**
   * How many lines after a quoted value's first hold exactly as many delimiters as a record of
   * {@code width} fields has ({@code width - 1}).
   */
  static int recordLikeLines(String value, String delimiter, int width) {
    int recordLike = 0;
    int lineBreaks = 0;
    int delimiters = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || c == '\r') {
        if (lineBreaks > 0 && delimiters == width - 1) {
          recordLike++;
        }
        if (c == '\r' && i + 1 < value.length() && value.charAt(i + 1) == '\n') {
          i++;
        }
        lineBreaks++;
        delimiters = 0;
      } else if (value.startsWith(delimiter, i)) {
        delimiters++;
        i += delimiter.length() - 1;
      }
    }
    if (lineBreaks > 0 && delimiters == width - 1) {
      recordLike++;
    }
    return recordLike;
  }

  /** The line breaks in a value: LF, CR, and CRLF as one. */
  static int lineBreaks(String value) {
    int breaks = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 == value.length() || value.charAt(i + 1) != '\n'))) {
        breaks++;
      }
    }
    return breaks;
  }
}
