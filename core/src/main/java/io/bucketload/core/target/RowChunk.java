package io.bucketload.core.target;

/**
 * A chunk of rows in file order, each with the line it started on. Rows are arrays of values in the
 * plan's column order: {@code String}, {@code Integer}, {@code Long}, {@code BigDecimal}, {@code
 * Double}, {@code Boolean}, {@code LocalDate}, {@code LocalDateTime}, or null for NULL.
 *
 * <p>A chunk is filled by one thread and then handed over; it is not modified afterwards, but for
 * its lines, which the thread that takes a part read on its own may shift once ({@link
 * #shiftLines}) before it hands the chunk on. It can be serialized, to be handed over from another
 * process, its rows as {@link RowValues} writes them.
 */
public final class RowChunk implements java.io.Serializable {
  private static final long serialVersionUID = 2L;

  /**
   * The most values a chunk holds before it reports itself full, whatever its row capacity: 2,048
   * rows of 64 columns. A wide file's chunks hold fewer rows (131 of 1,000 columns), so that the
   * chunks in flight between the reading and the writing thread take about the same memory as a
   * narrow file's.
   */
  public static final int MAX_VALUES = 2048 * 64;

  private transient Object[][] rows;
  private transient long[] lines;
  private transient long values;
  private int size;

  /** Creates an empty chunk that holds up to {@code capacity} rows. */
  public RowChunk(int capacity) {
    this.rows = new Object[capacity][];
    this.lines = new long[capacity];
  }

  /**
   * Adds a row; returns whether the chunk is now full: at its row capacity, or holding {@value
   * #MAX_VALUES} values or more. A row may still be added to a chunk full by its values, up to its
   * row capacity.
   */
  public boolean add(Object[] row, long line) {
    rows[size] = row;
    lines[size] = line;
    size++;
    values += row.length;
    return size == rows.length || values >= MAX_VALUES;
  }

  /** The number of rows. */
  public int size() {
    return size;
  }

  /** The row at {@code index}; callers must not modify it. */
  public Object[] row(int index) {
    return rows[index];
  }

  /**
   * Adds {@code lines} to the line of every row: for rows read from a part whose lines were counted
   * from its own start, once the lines before the part are known.
   */
  public void shiftLines(long lines) {
    for (int r = 0; r < size; r++) {
      this.lines[r] += lines;
    }
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
      RowValues.write(out, lines[r], rows[r]);
    }
  }

  @java.io.Serial
  private void readObject(java.io.ObjectInputStream in)
      throws java.io.IOException, ClassNotFoundException {
    in.defaultReadObject();
    int capacity = in.readInt();
    int count = size;
    if (count < 0 || count > capacity) {
      throw new java.io.InvalidObjectException("a chunk of " + count + " rows in " + capacity);
    }
    rows = new Object[capacity][];
    lines = new long[capacity];
    size = 0;
    for (int r = 0; r < count; r++) {
      RowValues.readInto(in, this);
    }
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
