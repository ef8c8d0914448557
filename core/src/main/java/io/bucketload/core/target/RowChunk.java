package io.bucketload.core.target;

/**
 * A chunk of rows in file order, each with the line it started on. Rows are arrays of values in the
 * plan's column order: {@code String}, {@code Integer}, {@code Long}, {@code BigDecimal}, {@code
 * Double}, {@code Boolean}, {@code LocalDate}, {@code LocalDateTime}, or null for NULL.
 *
 * <p>A chunk is filled by one thread and then handed over; it is not modified afterwards. It can be
 * serialized, to be handed over from another process: each value as a type tag and its bytes (a
 * chunk of 8,192 rows is millions of small objects, which Java's own form of objects writes and
 * reads several times slower).
 */
public final class RowChunk implements java.io.Serializable {
  private static final long serialVersionUID = 2L;

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

  private transient Object[][] rows;
  private transient long[] lines;
  private int size;

  /** Creates an empty chunk that holds up to {@code capacity} rows. */
  public RowChunk(int capacity) {
    this.rows = new Object[capacity][];
    this.lines = new long[capacity];
  }

  /** Adds a row; returns whether the chunk is now full. */
  public boolean add(Object[] row, long line) {
    rows[size] = row;
    lines[size] = line;
    size++;
    return size == rows.length;
  }

  /** The number of rows. */
  public int size() {
    return size;
  }

  /** The row at {@code index}; callers must not modify it. */
  public Object[] row(int index) {
    return rows[index];
  }

  /** The line the row at {@code index} started on. */
  public long line(int index) {
    return lines[index];
  }

  @java.io.Serial
  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    out.defaultWriteObject();
    out.writeInt(rows.length);
    for (int r = 0; r < size; r++) {
      out.writeLong(lines[r]);
      Object[] row = rows[r];
      out.writeInt(row.length);
      for (Object value : row) {
        writeValue(out, value);
      }
    }
  }

  private static void writeValue(java.io.ObjectOutputStream out, Object value)
      throws java.io.IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof String text) {
      out.writeByte(STRING);
      byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    } else if (value instanceof Integer number) {
      out.writeByte(INTEGER);
      out.writeInt(number);
    } else if (value instanceof Long number) {
      out.writeByte(LONG);
      out.writeLong(number);
    } else if (value instanceof java.math.BigDecimal number) {
      out.writeByte(DECIMAL);
      byte[] unscaled = number.unscaledValue().toByteArray();
      out.writeInt(number.scale());
      out.writeInt(unscaled.length);
      out.write(unscaled);
    } else if (value instanceof Double number) {
      out.writeByte(DOUBLE);
      out.writeDouble(number);
    } else if (value instanceof Boolean flag) {
      out.writeByte(flag ? TRUE : FALSE);
    } else if (value instanceof java.time.LocalDate date) {
      out.writeByte(DATE);
      out.writeLong(date.toEpochDay());
    } else if (value instanceof java.time.LocalDateTime time) {
      out.writeByte(TIMESTAMP);
      out.writeLong(time.toEpochSecond(java.time.ZoneOffset.UTC));
      out.writeInt(time.getNano());
    } else {
      throw new java.io.NotSerializableException(
          "a row value of type " + value.getClass().getName());
    }
  }

  @java.io.Serial
  private void readObject(java.io.ObjectInputStream in)
      throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    int capacity = in.readInt();
    if (size < 0 || size > capacity) {
      throw new java.io.InvalidObjectException("a chunk of " + size + " rows in " + capacity);
    }
    rows = new Object[capacity][];
    lines = new long[capacity];
    for (int r = 0; r < size; r++) {
      lines[r] = in.readLong();
      Object[] row = new Object[in.readInt()];
      for (int c = 0; c < row.length; c++) {
        row[c] = readValue(in);
      }
      rows[r] = row;
    }
  }

  private static Object readValue(java.io.ObjectInputStream in) throws java.io.IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case STRING -> {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        yield new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      }
      case INTEGER -> in.readInt();
      case LONG -> in.readLong();
      case DECIMAL -> {
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readInt()];
        in.readFully(unscaled);
        yield new java.math.BigDecimal(new java.math.BigInteger(unscaled), scale);
      }
      case DOUBLE -> in.readDouble();
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case DATE -> java.time.LocalDate.ofEpochDay(in.readLong());
      case TIMESTAMP ->
          java.time.LocalDateTime.ofEpochSecond(
              in.readLong(), in.readInt(), java.time.ZoneOffset.UTC);
      default -> throw new java.io.InvalidObjectException("an unknown value tag " + tag);
    };
  }

  @Override
  public String toString() {
    return "RowChunk[size="
        + size
        + ", lines="
        + (size == 0 ? "-" : lines[0] + ".." + lines[size - 1])
        + "]";
  }
}
