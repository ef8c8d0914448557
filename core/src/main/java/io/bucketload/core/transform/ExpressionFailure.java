package io.bucketload.core.transform;

/**
 * An expression that cannot be computed for one row (an overflow, a division by zero, text that is
 * not a date): the row is a reject, naming the column the expression computes, or the filter.
 */
public final class ExpressionFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String column;

  /**
   * @param column the column the expression computes; empty for a filter
   * @param cause what the computation threw
   */
  ExpressionFailure(String column, RuntimeException cause) {
    super(
        (column.isEmpty() ? "a filter expression failed: " : "the expression failed: ")
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()),
        cause);
    this.column = column;
  }

  /** The column the expression computes; empty for a filter. */
  public String column() {
    return column;
  }
}
