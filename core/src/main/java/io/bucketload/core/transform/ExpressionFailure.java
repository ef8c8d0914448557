package io.bucketload.core.transform;

/**
 * An expression that cannot be computed for one row (an overflow, a division by zero, text that is
 * not a date): the row is a reject, naming the column the expression computes, or the filter.
 */
public final class ExpressionFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String column;

  /** The failures of the row's other expressions, each a column and its message. */
  private final transient java.util.List<ExpressionFailure> others;

  /**
   * @param column the column the expression computes; empty for a filter
   * @param cause what the computation threw
   */
  ExpressionFailure(String column, RuntimeException cause) {
    this(column, cause, java.util.List.of());
  }

  private ExpressionFailure(
      String column, RuntimeException cause, java.util.List<ExpressionFailure> others) {
    super(
        (column.isEmpty() ? "a filter expression failed: " : "the expression failed: ")
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()),
        cause);
    this.column = column;
    this.others = java.util.List.copyOf(others);
  }

  /** This failure with those of the row's other expressions after it. */
  static ExpressionFailure all(java.util.List<ExpressionFailure> failures) {
    ExpressionFailure first = failures.get(0);
    return new ExpressionFailure(
        first.column, (RuntimeException) first.getCause(), failures.subList(1, failures.size()));
  }

  /** The column the expression computes; empty for a filter. */
  public String column() {
    return column;
  }

  /** Every failure of the row: this one, then those of its other expressions. */
  public java.util.List<ExpressionFailure> failures() {
    java.util.List<ExpressionFailure> all = new java.util.ArrayList<>();
    all.add(this);
    all.addAll(others);
    return all;
  }
}
