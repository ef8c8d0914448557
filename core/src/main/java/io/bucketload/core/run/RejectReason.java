package io.bucketload.core.run;

import java.util.Objects;

/**
 * One reason rows of a file were rejected, with how many and the first line it struck, e.g. {@code
 * age: not a whole number} on 3 rows, first at line 7.
 *
 * @param column the column, or empty for a reason about the whole record
 * @param reason the reason, with the rejected value left out so that rows group by it
 * @param rows how many rows were rejected for it
 * @param firstLine the line of the first of them in the file
 */
public record RejectReason(String column, String reason, long rows, long firstLine) {
  /** Checks the fields. */
  public RejectReason {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(reason, "reason");
  }

  /** The reason for people: {@code age: 'x' is not a whole number (3 rows, first at line 7)}. */
  public String describe() {
    return (column.isEmpty() ? "" : column + ": ")
        + reason
        + " ("
        + rows
        + (rows == 1 ? " row" : " rows")
        + ", first at line "
        + firstLine
        + ")";
  }
}
