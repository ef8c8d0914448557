package io.bucketload.jdbc.postgres;

import java.util.Arrays;

/**
 * Maps the rows of a COPY stream (numbered from 1) to the lines of the file they came from, to name
 * the line when the server refuses a row. Stores only where the two stop moving together (a
 * rejected record, a multi-line field), so its size does not grow with a regular file; past {@value
 * #MAX_BREAKS} such places (16 MB) later rows are not mapped.
 */
final class LineMap {
  static final int MAX_BREAKS = 1 << 20;

  private long[] rows = new long[16];
  private long[] lines = new long[16];
  private int size;
  private long lastRow;
  private long lastLine;

  /** Notes that row {@code row} came from line {@code line}; rows are noted in order. */
  void note(long row, long line) {
    if (size == 0 || line != lastLine + (row - lastRow)) {
      if (size == MAX_BREAKS) {
        return;
      }
      if (size == rows.length) {
        rows = Arrays.copyOf(rows, size * 2);
        lines = Arrays.copyOf(lines, size * 2);
      }
      rows[size] = row;
      lines[size] = line;
      size++;
    }
    lastRow = row;
    lastLine = line;
  }

  /** The line row {@code row} came from, or 0 when it was not noted. */
  long lineOf(long row) {
    if (row < 1 || row > lastRow || size == 0 || size == MAX_BREAKS) {
      return 0;
    }
    int at = Arrays.binarySearch(rows, 0, size, row);
    int segment = at >= 0 ? at : -at - 2;
    return lines[segment] + (row - rows[segment]);
  }
}
