package io.bucketload.core.target;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Rows as bytes: each row its line, its width and each value as a type tag and its bytes (the types
 * {@link RowChunk} lists), read back exactly. For rows kept on disk while a file is checked and for
 * rows handed over from another process; a chunk of rows is millions of small objects, which Java's
 * own form of objects writes and reads several times slower.
 */
public final class RowValues {
  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte INTEGER = 2;
  private static final byte LONG = 3;
  private static final byte DECIMAL = 4;
  private static final byte DOUBLE = 5;
  private static final byte TRUE = 6;
  private static final byte FALSE = 7;
  private static final byte DATE = 8;
  private static final byte TIMESTAMP = 9;

  private RowValues() {}

  /**
   * Writes a row and the line it started on.
   *
   * @throws NotSerializableException when a value is of a type rows do not hold
   */
  public static void write(DataOutput out, long line, Object[] row) throws IOException {
    out.writeLong(line);
    out.writeInt(row.length);
    for (Object value : row) {
      write(out, value);
    }
  }

  /**
   * Reads a row {@link #write} wrote into {@code chunk}; returns whether the chunk is now full.
   *
   * @throws InvalidObjectException when the bytes hold an unknown value tag
   */
  public static boolean readInto(DataInput in, RowChunk chunk) throws IOException {
    long line = in.readLong();
    Object[] row = new Object[in.readInt()];
    for (int i = 0; i < row.length; i++) {
      row[i] = read(in);
    }
    return chunk.add(row, line);
  }

  private static void write(DataOutput out, Object value) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.writeByte(STRING);
      out.writeInt(bytes.length);
      out.write(bytes);
    } else if (value instanceof Integer number) {
      out.writeByte(INTEGER);
      out.writeInt(number);
    } else if (value instanceof Long number) {
      out.writeByte(LONG);
      out.writeLong(number);
    } else if (value instanceof BigDecimal number) {
      byte[] unscaled = number.unscaledValue().toByteArray();
      out.writeByte(DECIMAL);
      out.writeInt(number.scale());
      out.writeInt(unscaled.length);
      out.write(unscaled);
    } else if (value instanceof Double number) {
      out.writeByte(DOUBLE);
      out.writeDouble(number);
    } else if (value instanceof Boolean flag) {
      out.writeByte(flag ? TRUE : FALSE);
    } else if (value instanceof LocalDate date) {
      out.writeByte(DATE);
      out.writeLong(date.toEpochDay());
    } else if (value instanceof LocalDateTime timestamp) {
      out.writeByte(TIMESTAMP);
      out.writeLong(timestamp.toEpochSecond(ZoneOffset.UTC));
      out.writeInt(timestamp.getNano());
    } else {
      throw new NotSerializableException("a row value of type " + value.getClass().getName());
    }
  }

  private static Object read(DataInput in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case STRING -> {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        yield new String(bytes, StandardCharsets.UTF_8);
      }
      case INTEGER -> in.readInt();
      case LONG -> in.readLong();
      case DECIMAL -> {
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readInt()];
        in.readFully(unscaled);
        yield new BigDecimal(new BigInteger(unscaled), scale);
      }
      case DOUBLE -> in.readDouble();
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case DATE -> LocalDate.ofEpochDay(in.readLong());
      case TIMESTAMP -> LocalDateTime.ofEpochSecond(in.readLong(), in.readInt(), ZoneOffset.UTC);
      default -> throw new InvalidObjectException("an unknown value tag " + tag);
    };
  }
}
