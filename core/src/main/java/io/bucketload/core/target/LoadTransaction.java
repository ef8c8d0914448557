package io.bucketload.core.target;

import java.util.List;
import java.util.Optional;

/**
 * One unit of work on a target: the loads of one file, or of every file of a file set, committed
 * together with the ledger entries of the files, or aborted. Nothing written becomes visible to
 * readers before {@link #commit} on targets with transactions; on targets without ({@link
 * Target#writesBeforeCommit()}), each file is validated in full before its first write.
 *
 * <p>Used by one thread at a time (a {@link TableLoad}'s writes may come from another thread,
 * handed over safely). Arguments and results are never null. Methods throw {@link
 * io.bucketload.core.error.TargetException} when the target fails or refuses the rows.
 */
public interface LoadTransaction extends AutoCloseable {
  /**
   * Starts loading one file into its table. Creates the table when it is missing; fails when an
   * existing table does not match the plan's columns. The previous table load of this transaction
   * must be finished.
   */
  TableLoad load(LoadPlan plan);

  /**
   * The SQL this transaction can run (after-load statements, exports), on targets that run SQL
   * ({@link TargetFactory#runsSql()}); empty on the others.
   */
  default Optional<SqlSession> sql() {
    return Optional.empty();
  }

  /**
   * Makes everything visible and records the entries (status {@code LOADED}, counts filled in) in
   * the ledger, atomically where the target allows.
   *
   * @throws io.bucketload.core.error.TargetException when the commit fails; nothing is then visible
   *     on a transactional target
   */
  void commit(List<LedgerEntry> entries);

  /** Discards everything written. Never throws; safe to call after a failed write or commit. */
  void abort();

  /** Releases resources; aborts if neither committed nor aborted. Never throws. */
  @Override
  void close();
}
