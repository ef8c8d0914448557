package io.bucketload.core.spec;

/**
 * The {@code rejects.max} threshold: a count of rows or a percentage of the rows read. Over it, the
 * file fails and nothing is loaded.
 *
 * @param maxCount the most rejected rows allowed, when a count
 * @param maxPercent the most rejected rows allowed as a percentage of rows read, when a percentage
 * @param percent whether the limit is a percentage
 */
public record RejectLimit(long maxCount, double maxPercent, boolean percent) {
  /** No reject allowed: the default. */
  public static final RejectLimit NONE = count(0);

  /** Checks the values. */
  public RejectLimit {
    if (maxCount < 0 || maxPercent < 0 || maxPercent > 100 || Double.isNaN(maxPercent)) {
      throw new IllegalArgumentException("a reject limit is a count >= 0 or a percentage 0..100");
    }
  }

  /** A limit of {@code max} rows. */
  public static RejectLimit count(long max) {
    return new RejectLimit(max, 0, false);
  }

  /** A limit of {@code max} percent of the rows read. */
  public static RejectLimit percentage(double max) {
    return new RejectLimit(0, max, true);
  }

  /** Whether {@code rejected} of {@code read} rows is over the limit. */
  public boolean exceededBy(long rejected, long read) {
    if (percent) {
      return read > 0 && rejected * 100.0 / read > maxPercent;
    }
    return rejected > maxCount;
  }

  /**
   * Whether the limit is over whatever the rest of the file holds (only a count can tell early).
   */
  public boolean exceededAlready(long rejected) {
    return !percent && rejected > maxCount;
  }

  @Override
  public String toString() {
    if (percent) {
      // As written: 0.0001%, not Double's 1.0E-4%.
      return java.math.BigDecimal.valueOf(maxPercent).stripTrailingZeros().toPlainString() + "%";
    }
    return String.valueOf(maxCount);
  }
}
