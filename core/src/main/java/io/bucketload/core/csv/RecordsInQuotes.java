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
}
