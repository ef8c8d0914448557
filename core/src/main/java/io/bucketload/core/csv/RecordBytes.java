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

  /** The bytes the fields lie in. */
  byte[] buffer();

  /** Where an unquoted field's bytes start in {@link #buffer()}. */
  int start(int field);

  /** Where an unquoted field's bytes end (exclusive) in {@link #buffer()}. */
  int end(int field);

  /** The field's text, as {@link RawRow#fields()} has it: null for a NULL. */
  String text(int field);
}
