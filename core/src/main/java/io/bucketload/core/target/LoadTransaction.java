package io.bucketload.core.target;

import io.bucketload.core.spec.SqlStep;
import java.io.OutputStream;
import java.util.List;

/**
 * One unit of work on a target: the loads of one file, or of every file of a file set, then the
 * pipeline's after-load SQL and exports, committed together with the ledger entries of the files,
 * or aborted. Nothing written becomes visible to readers before {@link #commit}. Used by one thread
 * at a time (a {@link TableLoad}'s writes may come from another thread, handed over safely).
 *
 * <p>Methods throw {@link io.bucketload.core.error.TargetException} when the target fails or
 * refuses the rows, and {@link io.bucketload.core.error.ConfigException} when a pipeline's SQL is
 * not valid for the target.
 */
public interface LoadTransaction extends AutoCloseable {
  /**
   * Starts loading one file into its table. Creates the table when it is missing; fails when an
   * existing table does not match the plan's columns. The previous table load of this transaction
   * must be finished.
   */
  TableLoad load(LoadPlan plan);

  /** Runs a pipeline's SQL statement(s) inside the transaction. */
  void execute(SqlStep step);

  /**
   * Runs a query inside the transaction and writes its result to {@code out} as CSV with a header
   * row (NULL as an empty field). Does not close {@code out}.
   *
   * @return the number of rows written
   */
  long export(SqlStep query, OutputStream out);

  /**
   * Makes everything visible and records the entries (status {@code LOADED}, counts filled in) in
   * the ledger, atomically where the target allows.
   *
   * @throws io.bucketload.core.error.TargetException when the commit fails; nothing is then visible
   */
  void commit(List<LedgerEntry> entries);

  /** Discards everything written. Never throws; safe to call after a failed write or commit. */
  void abort();

  /** Releases resources; aborts if neither committed nor aborted. Never throws. */
  @Override
  void close();
}
