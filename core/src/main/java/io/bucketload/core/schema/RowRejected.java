package io.bucketload.core.schema;

/**
 * A row cannot be loaded: names the column, the offending value and the reason. Carries no stack
 * trace (thrown on the hot path).
 */
public final class RowRejected extends Exception {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final String value;

  /**
   * Creates a rejection.
   *
   * @param column the column's name, or empty when the row as a whole is wrong
   * @param value the offending value as it was in the file, or empty
   * @param reason why, e.g. {@code not an int}
   */
  public RowRejected(String column, String value, String reason) {
    super(reason, null, false, false);
    this.column = column;
    this.value = value;
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
