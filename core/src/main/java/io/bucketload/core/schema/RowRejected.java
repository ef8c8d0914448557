package io.bucketload.core.schema;

/**
 * A row cannot be loaded: names the column, the offending value and the reason, for every column
 * that failed (the first one is {@link #column()}, {@link #value()}, {@link #reason()}). Carries no
 * stack trace (thrown on the hot path).
 */
public final class RowRejected extends Exception {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final String value;
  private final transient java.util.List<Problem> problems;

  /**
   * One column's failure.
   *
   * @param column the column's name, or empty when the row as a whole is wrong
   * @param value the offending value as it was in the file, or empty
   * @param reason why
   */
  public record Problem(String column, String value, String reason)
      implements java.io.Serializable {}

  /**
   * Creates a rejection.
   *
   * @param column the column's name, or empty when the row as a whole is wrong
   * @param value the offending value as it was in the file, or empty
   * @param reason why, e.g. {@code not an int}
   */
  public RowRejected(String column, String value, String reason) {
    this(java.util.List.of(new Problem(column, value, reason)));
  }

  /**
   * Creates a rejection of several columns of one row.
   *
   * @param problems each failing column, in column order; at least one
   */
  public RowRejected(java.util.List<Problem> problems) {
    super(problems.get(0).reason(), null, false, false);
    this.column = problems.get(0).column();
    this.value = problems.get(0).value();
    this.problems = java.util.List.copyOf(problems);
  }

  /** Every failing column of the row, the first one first. */
  public java.util.List<Problem> problems() {
    return problems;
  }

  /** The column's name, or empty when the row as a whole is wrong. */
  public String column() {
    return column;
  }

  /** The offending value, or empty. */
  public String value() {
    return value;
  }

  /** Why the row was rejected. */
  public String reason() {
    return getMessage();
  }
}
