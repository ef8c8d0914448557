package io.bucketload.core.csv;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import java.util.Arrays;
import java.util.Set;

/**
 * Builds {@link RawRow}s from FastCSV's callbacks: applies NULL to unquoted null values and marks a
 * record over the field or record size limit, without keeping its fields.
 */
final class RowHandler extends AbstractBaseCsvCallbackHandler<RawRow> {
  private static final String[] EMPTY = new String[0];

  private final Set<String> nullValues;
  private final boolean emptyIsNull;
  private final int maxFieldChars;
  private final int maxRecordChars;
  private long recordChars;
  private RawRow.Oversize oversize = RawRow.Oversize.NONE;
  private String[] fields = new String[32];
  private int count;
  private long line;

  RowHandler(Set<String> nullValues, int maxFieldChars, int maxRecordChars) {
    this.nullValues = nullValues;
    this.emptyIsNull = nullValues.contains("");
    this.maxFieldChars = maxFieldChars;
    this.maxRecordChars = maxRecordChars;
  }

  long currentLine() {
    return line;
  }

  @Override
  protected void handleBegin(long startingLineNumber) {
    line = startingLineNumber;
    count = 0;
    recordChars = 0;
    oversize = RawRow.Oversize.NONE;
  }

  @Override
  protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
    recordChars += len + 1;
    if (oversize != RawRow.Oversize.NONE) {
      return;
    }
    if (len > maxFieldChars || recordChars > maxRecordChars) {
      oversize = len > maxFieldChars ? RawRow.Oversize.FIELD : RawRow.Oversize.RECORD;
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
    if (oversize != RawRow.Oversize.NONE) {
      return new RawRow(line, EMPTY, oversize);
    }
    return new RawRow(line, Arrays.copyOf(fields, count), RawRow.Oversize.NONE);
  }
}
