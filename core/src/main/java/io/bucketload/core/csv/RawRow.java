package io.bucketload.core.csv;

import java.util.Optional;

/**
 * One CSV record as read.
 *
 * @param line the line the record started on (1-based, counting the header)
 * @param fields the fields; a null element is a NULL (an unquoted null value, by default empty).
 *     Empty when the record is {@link #oversize()}: it can only be rejected.
 * @param oversize whether a field or the record went over the dialect's limits
 * @param defect what makes the record malformed though it could be read (a quote inside an unquoted
 *     field, characters after a closing quote): it can only be rejected
 */
public record RawRow(long line, String[] fields, Oversize oversize, Optional<Defect> defect)
    implements ReadRecord {
  /** A record within the limits or not, without a defect. */
  public RawRow(long line, String[] fields, Oversize oversize) {
    this(line, fields, oversize, Optional.empty());
  }

  /**
   * What is wrong with a record that was read.
   *
   * @param field the 0-based index of the field at fault
   * @param value the field as read
   * @param reason why the record is a reject
   */
  public record Defect(int field, String value, String reason) implements java.io.Serializable {}

  /** Which limit a record went over, if any. */
  public enum Oversize {
    /** Within the limits. */
    NONE,
    /** A field is longer than {@code format.max_field_chars}. */
    FIELD,
    /** The record is longer than {@code format.max_record_chars}. */
    RECORD
  }

  /** This record: its fields are text already. */
  @Override
  public RawRow row() {
    return this;
  }

  /** Empty: a record parsed as text. */
  @Override
  public Optional<RecordBytes> bytes() {
    return Optional.empty();
  }

  /** Whether the record went over a limit (its fields are then not kept). */
  public boolean tooLong() {
    return oversize != Oversize.NONE;
  }
}
