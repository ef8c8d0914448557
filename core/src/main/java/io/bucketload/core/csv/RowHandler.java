package io.bucketload.core.csv;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import java.util.Arrays;
import java.util.Set;

/**
 * Builds {@link RawRow}s from FastCSV's callbacks: applies NULL to unquoted null values and
 * enforces the record length limit without keeping an over-long record in memory.
 */
final class RowHandler extends AbstractBaseCsvCallbackHandler<RawRow> {
  private static final String[] EMPTY = new String[0];

  private final Set<String> nullValues;
  private final boolean emptyIsNull;
  private final int maxFieldChars;
  private String[] fields = new String[32];
  private int count;
  private long line;

  RowHandler(Set<String> nullValues, int maxFieldChars) {
    this.nullValues = nullValues;
    this.emptyIsNull = nullValues.contains("");
    this.maxFieldChars = maxFieldChars;
  }

  long currentLine() {
    return line;
  }

  @Override
  protected void handleBegin(long startingLineNumber) {
    line = startingLineNumber;
    count = 0;
  }

  @Override
  protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
    if (count < 0) {
      return;
    }
    if (len > maxFieldChars) {
      count = -1;
      return;
    }
    if (count == fields.length) {
      fields = Arrays.copyOf(fields, count * 2);
    }
    String value;
    if (quoted) {
      value = new String(buf, offset, len);
    } else if (len == 0) {
      value = emptyIsNull ? null : "";
    } else {
      value = new String(buf, offset, len);
      if (nullValues.size() > (emptyIsNull ? 1 : 0) && nullValues.contains(value)) {
        value = null;
      }
    }
    fields[count++] = value;
  }

  @Override
  protected RawRow buildRecord() {
    if (count < 0) {
      return new RawRow(line, EMPTY, true);
    }
    return new RawRow(line, Arrays.copyOf(fields, count), false);
  }
}
