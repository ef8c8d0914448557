package io.bucketload.app;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows as an aligned text table for a terminal: columns two spaces apart, each as wide as its
 * widest value, SQL's NULL ({@code null}) shown as {@code NULL}, control characters as their
 * escapes ({@link io.bucketload.core.run.OneLine}), trailing spaces removed.
 */
final class TextTable {
  private TextTable() {}

  /** The header line, then one line per row; a row shorter than the header is padded. */
  static List<String> lines(String[] header, List<String[]> rows) {
    int[] widths = new int[header.length];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = shown(header, i).length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], shown(row, i).length());
      }
    }
    List<String> lines = new ArrayList<>(rows.size() + 1);
    lines.add(line(header, widths));
    for (String[] row : rows) {
      lines.add(line(row, widths));
    }
    return lines;
  }

  private static String shown(String[] values, int index) {
    if (index >= values.length) {
      return "";
    }
    // A value's control characters (a line break, an escape sequence that would clear or recolour
    // the terminal) are shown as their escapes: one row a line, and nothing the terminal obeys.
    return values[index] == null ? "NULL" : io.bucketload.core.run.OneLine.of(values[index]);
  }

  private static String line(String[] values, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      String value = shown(values, i);
      if (i > 0) {
        line.append("  ");
      }
      line.append(value).append(" ".repeat(widths[i] - value.length()));
    }
    return line.toString().stripTrailing();
  }
}
