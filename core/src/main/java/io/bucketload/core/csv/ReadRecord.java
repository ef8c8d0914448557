package io.bucketload.core.csv;

import java.util.Optional;

/**
 * One record as {@link CsvRowReader#nextRecord()} hands it out: its fields as text ({@link #row()})
 * and, when the reader read it as bytes, those bytes ({@link #bytes()}), from which values convert
 * without the text in between. A record read as bytes is valid until the reader's next call; {@link
 * #row()} is the copy that outlives it.
 */
public interface ReadRecord {
  /** The line the record starts on (1-based, counting the header). */
  long line();

  /** The record's fields as text: what {@link CsvRowReader#next()} would have returned. */
  RawRow row();

  /**
   * The record's fields as bytes, when the reader read it that way: a record without defects,
   * within the limits, of valid text. Empty for a record the reader parsed as text.
   */
  Optional<RecordBytes> bytes();
}
