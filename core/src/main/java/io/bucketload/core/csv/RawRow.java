package io.bucketload.core.csv;

/**
 * One CSV record as read.
 *
 * @param line the line the record started on (1-based, counting the header)
 * @param fields the fields; a null element is a NULL (an unquoted null value, by default empty).
 *     Empty when the record is {@link #oversize()}: it can only be rejected.
 * @param oversize whether a field or the record went over the dialect's limits
 */
public record RawRow(long line, String[] fields, Oversize oversize) {
  /** Which limit a record went over, if any. */
  public enum Oversize {
    /** Within the limits. */
    NONE,
    /** A field is longer than {@code format.max_field_chars}. */
    FIELD,
    /** The record is longer than {@code format.max_record_chars}. */
    RECORD
  }

  /** Whether the record went over a limit (its fields are then not kept). */
  public boolean tooLong() {
    return oversize != Oversize.NONE;
  }
}
