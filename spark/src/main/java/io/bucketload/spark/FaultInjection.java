package io.bucketload.spark;

import java.io.Serializable;

/**
 * Where the first attempt of every task dies, as a lost executor would, to check that Spark's retry
 * of it still loads each file exactly once: Spark setting {@value #SETTING}, {@code after_rows:N}
 * (mid-file, once a file has read N rows, before anything committed) or {@code after_commit} (once
 * a file committed, before the task reports it). For tests of a deployment's retries; never set in
 * production.
 *
 * @param afterRows the rows after which the attempt dies, or 0
 * @param afterCommit whether it dies after a file committed
 */
record FaultInjection(long afterRows, boolean afterCommit) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The Spark setting. */
  static final String SETTING = "spark.bucketload.inject.fail_first_attempt";

  /** No failure injected. */
  static final FaultInjection NONE = new FaultInjection(0, false);

  /**
   * Reads the setting's value; empty is {@link #NONE}.
   *
   * @throws IllegalArgumentException naming the setting when the value is neither form
   */
  static FaultInjection parse(String value) {
    if (value.isEmpty()) {
      return NONE;
    }
    if (value.equals("after_commit")) {
      return new FaultInjection(0, true);
    }
    if (value.startsWith("after_rows:")) {
      try {
        long rows = Long.parseLong(value.substring("after_rows:".length()));
        if (rows > 0) {
          return new FaultInjection(rows, false);
        }
      } catch (NumberFormatException e) {
        // Told below.
      }
    }
    throw new IllegalArgumentException(
        SETTING + ": expected after_rows:N (N > 0) or after_commit, found '" + value + "'");
  }
}
