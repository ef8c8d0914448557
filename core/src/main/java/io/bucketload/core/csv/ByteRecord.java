package io.bucketload.core.csv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The record {@link PlainRecords} read last, as offsets into its buffer: reused from record to
 * record, so valid until the reader moves on. Its text is built only when asked for.
 */
final class ByteRecord implements ReadRecord, RecordBytes {
  private final byte quote;
  private final boolean emptyIsNull;
  private byte[] buffer;

  /** The bytes of the last field read with doubled quotes, each as one. */
  private byte[] unquoted = new byte[64];

  /** Per field: where its bytes start, then where they end (exclusive). */
  private int[] bounds = new int[64];

  /** Per field: {@link #UNQUOTED}, {@link #QUOTED} or {@link #DOUBLED_QUOTES}. */
  private byte[] quoting = new byte[32];

  static final byte UNQUOTED = 0;
  static final byte QUOTED = 1;
  static final byte DOUBLED_QUOTES = 2;

  private int count;
  private long line;
  private boolean ascii;

  /** This record as {@link #bytes()} hands it out: one instance for every record. */
  private final Optional<RecordBytes> asBytes = Optional.of(this);

  /** This record as the reader hands it out: one instance for every record. */
  private final Optional<ReadRecord> asRecord = Optional.of(this);

  ByteRecord(char quote, boolean emptyIsNull) {
    this.quote = (byte) quote;
    this.emptyIsNull = emptyIsNull;
  }

  /** Starts a record on {@code line}, in {@code buffer}. */
  void begin(long line, byte[] buffer) {
    this.line = line;
    this.buffer = buffer;
    this.count = 0;
  }

  /**
   * Where the reader writes each field: at {@code 2 * i} where field {@code i}'s bytes start
   * (without the quotes around them), at {@code 2 * i + 1} where they end. Room for as many fields
   * as {@link #quoting()} has; {@link #grow()} makes more.
   */
  int[] bounds() {
    return bounds;
  }

  /** Where the reader writes how each field is quoted ({@link #UNQUOTED} and so on). */
  byte[] quoting() {
    return quoting;
  }

  /** Doubles the room of {@link #bounds()} and {@link #quoting()}, keeping what was written. */
  void grow() {
    bounds = Arrays.copyOf(bounds, bounds.length * 2);
    quoting = Arrays.copyOf(quoting, quoting.length * 2);
  }

  /** Ends the record after its first {@code count} fields. */
  void fields(int count) {
    this.count = count;
  }

  /** Whether every byte of the record is ASCII: its text is then its bytes, one char each. */
  void ascii(boolean ascii) {
    this.ascii = ascii;
  }

  @Override
  public long line() {
    return line;
  }

  @Override
  public RawRow row() {
    String[] fields = new String[count];
    for (int i = 0; i < count; i++) {
      fields[i] = text(i);
    }
    return new RawRow(line, fields, RawRow.Oversize.NONE);
  }

  @Override
  public Optional<RecordBytes> bytes() {
    return asBytes;
  }

  /** This record as the reader hands it out, in one {@link Optional} for every record. */
  Optional<ReadRecord> asRecord() {
    return asRecord;
  }

  @Override
  public int fieldCount() {
    return count;
  }

  @Override
  public boolean unquoted(int field) {
    return quoting[field] == UNQUOTED;
  }

  @Override
  public byte[] buffer() {
    return buffer;
  }

  @Override
  public int start(int field) {
    return bounds[2 * field];
  }

  @Override
  public int end(int field) {
    return bounds[2 * field + 1];
  }

  @Override
  public String text(int field) {
    int start = bounds[2 * field];
    int length = bounds[2 * field + 1] - start;
    if (length == 0) {
      return quoting[field] == UNQUOTED && emptyIsNull ? null : "";
    }
    byte[] from = buffer;
    if (quoting[field] == DOUBLED_QUOTES) {
      length = undoubled(start, length);
      from = unquoted;
      start = 0;
    }
    return ascii
        ? new String(from, start, length, StandardCharsets.ISO_8859_1)
        : new String(from, start, length, StandardCharsets.UTF_8);
  }

  /**
   * Copies the {@code length} bytes at {@code start} into {@link #unquoted}, each doubled quote as
   * one; returns how many bytes it holds.
   */
  private int undoubled(int start, int length) {
    if (unquoted.length < length) {
      unquoted = new byte[Math.max(length, 2 * unquoted.length)];
    }
    int kept = 0;
    int end = start + length;
    for (int i = start; i < end; i++) {
      byte b = buffer[i];
      unquoted[kept++] = b;
      if (b == quote) {
        i++;
      }
    }
    return kept;
  }
}
