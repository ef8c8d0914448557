package io.bucketload.core.target;

import io.bucketload.core.spec.SqlStep;
import java.io.OutputStream;

/**
 * The SQL a {@link LoadTransaction} of a SQL target runs inside the transaction: the pipeline's
 * {@code after_load} statements and its {@code exports}. Used by the transaction's thread.
 *
 * <p>Methods throw {@link io.bucketload.core.error.ConfigException} when the pipeline's SQL is not
 * valid for the target (naming where it came from), and {@link
 * io.bucketload.core.error.TargetException} when the target fails.
 */
public interface SqlSession {
  /** Runs a pipeline's SQL statement(s). */
  void execute(SqlStep step);

  /**
   * Runs a query and writes its result to {@code out} as CSV with a header row (NULL as an empty
   * field). Does not close {@code out}.
   *
   * @return the number of rows written
   */
  long export(SqlStep query, OutputStream out);

  /**
   * Runs a query a person gave ({@code bucketload query}) and writes its result as {@link #export}
   * does; unqualified table names resolve in the target's schema first. By default, an export.
   *
   * @return the number of rows written
   */
  default long query(SqlStep query, OutputStream out) {
    return export(query, out);
  }
}
