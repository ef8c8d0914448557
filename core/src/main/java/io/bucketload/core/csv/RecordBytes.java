package io.bucketload.core.csv;

/**
 * The fields of one record as the file's bytes (UTF-8), valid until the reader moves on. An
 * unquoted field's bytes are its value as written: {@link #buffer()} from {@link #start} to {@link
 * #end}. Every field has its text in {@link #text}, the same as {@link RawRow#fields()} holds.
 */
public interface RecordBytes {
  /** How many fields the record has. */
  int fieldCount();

  /** Whether the field was written without quotes: its bytes are then its value as written. */
  boolean unquoted(int field);

  /** The bytes the fields lie in: the reader's own buffer, to read from only, never to write to. */
  byte[] buffer();

  /**
   * Where a field's bytes start in {@link #buffer()}: for a quoted field, after its opening quote
   * (its bytes are then as written, with any doubled quotes).
   */
  int start(int field);

  /** Where a field's bytes end (exclusive) in {@link #buffer()}: before a closing quote. */
  int end(int field);

  /** The field's text, as {@link RawRow#fields()} has it: null for a NULL. */
  String text(int field);
}
