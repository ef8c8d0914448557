package io.bucketload.jdbc.postgres;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.target.TargetColumn;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes rows in PostgreSQL's binary {@code COPY} format: the signature and header, then per row
 * the number of fields and each field as a length and the type's binary ("send") representation,
 * then the trailer. The server then stores each value without parsing text (dates, timestamps and
 * numerics are the costly ones to parse). Each column's encoding follows its bucketload type, which
 * the table's column matches ({@link PostgresTables#ensure} refuses any other). Not thread-safe.
 */
final class CopyBinaryEncoder {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  /** Days and seconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01. */
  private static final long EPOCH_DAYS = LocalDate.of(2000, 1, 1).toEpochDay();

  private static final long EPOCH_SECONDS = EPOCH_DAYS * 86_400L;

  /**
   * The years PostgreSQL's {@code date} and {@code timestamp} hold (4714 BC is ISO year -4713); the
   * server checks the exact first and last day, this keeps the arithmetic away from overflow.
   */
  private static final int FIRST_YEAR = -4713;

  private static final int LAST_TIMESTAMP_YEAR = 294_276;
  private static final int LAST_DATE_YEAR = 5_874_897;
  private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);
  private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000};

  private final ColumnType[] types;
  private final List<String> names;
  private final short fields;
  private byte[] buffer;
  private int size;

  /**
   * @param columns the columns, in the order of the row's values
   * @param extraLongs how many {@code bigint} fields end each row, each given by {@link #extra}
   *     after the row (the line number, the part and attempt when staging)
   * @param initialCapacity the buffer's first size in bytes
   */
  CopyBinaryEncoder(List<TargetColumn> columns, int extraLongs, int initialCapacity) {
    this.types = columns.stream().map(TargetColumn::type).toArray(ColumnType[]::new);
    this.names = columns.stream().map(TargetColumn::name).toList();
    this.fields = (short) (this.types.length + extraLongs);
    this.buffer = new byte[Math.max(initialCapacity, SIGNATURE.length)];
    System.arraycopy(SIGNATURE, 0, buffer, 0, SIGNATURE.length);
    this.size = SIGNATURE.length;
  }

  /** Bytes encoded so far. */
  int size() {
    return size;
  }

  byte[] buffer() {
    return buffer;
  }

  /** Forgets the encoded bytes, keeping the buffer. */
  void clear() {
    size = 0;
  }

  /** Appends the trailer that ends the data; no row may follow. */
  void end() {
    ensure(2);
    putShort(-1);
  }

  /**
   * Appends one row's values; its extra fields follow ({@link #extra}), as many as the encoder has.
   *
   * @param values the row's values, one per column type, {@code null} for NULL
   * @param line the row's line in its file, for the message when a value cannot be sent
   * @param file the file's key, for that message
   */
  void row(Object[] values, long line, String file) {
    ensure(2);
    putShort(fields);
    for (int i = 0; i < types.length; i++) {
      Object value = values[i];
      if (value == null) {
        ensure(4);
        putInt(-1);
      } else {
        try {
          field(types[i], value, line, file);
        } catch (ClassCastException e) {
          throw TargetException.data(
              file
                  + " line "
                  + line
                  + ": column "
                  + names.get(i)
                  + " is "
                  + types[i].configName()
                  + " but its value is a "
                  + value.getClass().getSimpleName(),
              e);
        }
      }
    }
  }

  /** Appends an extra {@code bigint} field to the row just appended. */
  void extra(long value) {
    int64(value);
  }

  private void field(ColumnType type, Object value, long line, String file) {
    switch (type) {
      case STRING -> text((String) value, line, file);
      case INT -> {
        ensure(8);
        putInt(4);
        putInt((Integer) value);
      }
      case LONG -> int64((Long) value);
      case DOUBLE -> int64(Double.doubleToLongBits((Double) value));
      case BOOLEAN -> {
        ensure(5);
        putInt(1);
        buffer[size++] = (byte) (((Boolean) value) ? 1 : 0);
      }
      case DATE -> date((LocalDate) value, line, file);
      case TIMESTAMP -> timestamp((LocalDateTime) value, line, file);
      case DECIMAL -> numeric((BigDecimal) value, line, file);
    }
  }

  private void text(String text, long line, String file) {
    if (text.indexOf(0) >= 0) {
      throw TargetException.data(
          file
              + " line "
              + line
              + ": a value contains the character NUL (0x00), which PostgreSQL text cannot hold",
          null);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ensure(4 + bytes.length);
    putInt(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  private void int64(long value) {
    ensure(12);
    putInt(8);
    putLong(value);
  }

  private void date(LocalDate date, long line, String file) {
    checkYear(date.getYear(), LAST_DATE_YEAR, "date", date, line, file);
    ensure(8);
    putInt(4);
    putInt((int) (date.toEpochDay() - EPOCH_DAYS));
  }

  private void timestamp(LocalDateTime timestamp, long line, String file) {
    checkYear(timestamp.getYear(), LAST_TIMESTAMP_YEAR, "timestamp", timestamp, line, file);
    long seconds = timestamp.toEpochSecond(ZoneOffset.UTC) - EPOCH_SECONDS;
    int64(seconds * 1_000_000L + timestamp.getNano() / 1_000);
  }

  private static void checkYear(
      int year, int last, String type, Object value, long line, String file) {
    if (year < FIRST_YEAR || year > last) {
      throw TargetException.data(
          file + " line " + line + ": " + value + " is out of range for PostgreSQL's " + type,
          null);
    }
  }

  /**
   * PostgreSQL's {@code numeric}: the number of base-10000 digits, the weight of the first (its
   * power of 10000), the sign, the display scale, then the digits, most significant first.
   */
  private void numeric(BigDecimal value, long line, String file) {
    // PostgreSQL holds up to 131072 digits before the point and a display scale up to 16383.
    if (value.precision() - value.scale() > 131_072 || value.scale() > 16_383) {
      throw TargetException.data(
          file + " line " + line + ": " + value + " is out of range for PostgreSQL's numeric",
          null);
    }
    int scale = Math.max(value.scale(), 0);
    // Pad the fraction to whole base-10000 digits: 12.345 (12345, scale 3) -> 123450 (4 places).
    int fractionDigits = (scale + 3) / 4;
    int pad = fractionDigits * 4 - scale;
    if (value.scale() >= 0 && value.precision() <= SMALL_PRECISION) {
      // The common case, without a BigInteger: the long of a scale-0 view of the same digits is
      // the unscaled value (at most 15 digits, so exact), and padded it stays below 10^18.
      long unscaled = value.scaleByPowerOfTen(value.scale()).longValue();
      small(Math.abs(unscaled) * POWERS_OF_TEN[pad], unscaled < 0, scale, fractionDigits);
      return;
    }
    BigInteger unscaled =
        value.scale() < 0 ? value.setScale(0).unscaledValue() : value.unscaledValue();
    int sign = unscaled.signum();
    BigInteger rest = unscaled.abs().multiply(BigInteger.valueOf(POWERS_OF_TEN[pad]));
    short[] digits = new short[rest.bitLength() / 13 + 2];
    int count = 0;
    while (rest.signum() != 0) {
      BigInteger[] split = rest.divideAndRemainder(TEN_THOUSAND);
      digits[count++] = split[1].shortValue();
      rest = split[0];
    }
    // digits[] holds the least significant digit first; trailing zero digits need not be sent.
    int lowest = 0;
    while (lowest < count && digits[lowest] == 0) {
      lowest++;
    }
    int sent = count - lowest;
    numericHeader(sent, count - 1 - fractionDigits, sign < 0, scale);
    for (int i = count - 1; i >= lowest; i--) {
      putShort(digits[i]);
    }
  }

  /** The most digits a decimal may have to take {@link #small}'s path. */
  private static final int SMALL_PRECISION = 15;

  /** Powers of 10000 up to the fifth base-10000 digit, which holds any long below 10^20. */
  private static final long[] POWERS_OF_TEN_THOUSAND = {
    1L, 10_000L, 100_000_000L, 1_000_000_000_000L, 10_000_000_000_000_000L
  };

  /**
   * A numeric whose digits, padded to whole base-10000 digits after the point, are {@code
   * magnitude} (below 10^18).
   */
  private void small(long magnitude, boolean negative, int scale, int fractionDigits) {
    int count = 0;
    while (count < POWERS_OF_TEN_THOUSAND.length && magnitude >= POWERS_OF_TEN_THOUSAND[count]) {
      count++;
    }
    // Trailing zero digits need not be sent.
    int lowest = 0;
    while (lowest < count && magnitude / POWERS_OF_TEN_THOUSAND[lowest] % 10_000 == 0) {
      lowest++;
    }
    int sent = count - lowest;
    numericHeader(sent, count - 1 - fractionDigits, negative, scale);
    for (int i = count - 1; i >= lowest; i--) {
      putShort((int) (magnitude / POWERS_OF_TEN_THOUSAND[i] % 10_000));
    }
  }

  /**
   * The length and header of a numeric of {@code sent} base-10000 digits, the first of {@code
   * weight}; ensures room for its digits.
   */
  private void numericHeader(int sent, int weight, boolean negative, int scale) {
    ensure(4 + 8 + 2 * sent);
    putInt(8 + 2 * sent);
    putShort(sent);
    putShort(sent == 0 ? 0 : weight);
    putShort(negative ? 0x4000 : 0);
    putShort(scale);
  }

  private void putShort(int value) {
    buffer[size] = (byte) (value >>> 8);
    buffer[size + 1] = (byte) value;
    size += 2;
  }

  private void putInt(int value) {
    buffer[size] = (byte) (value >>> 24);
    buffer[size + 1] = (byte) (value >>> 16);
    buffer[size + 2] = (byte) (value >>> 8);
    buffer[size + 3] = (byte) value;
    size += 4;
  }

  private void putLong(long value) {
    putInt((int) (value >>> 32));
    putInt((int) value);
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }
}
