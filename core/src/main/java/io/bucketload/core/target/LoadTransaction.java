package io.bucketload.core.target;

/**
 * One file's load into a target: chunks written, then committed together with the ledger entry, or
 * aborted. Nothing written becomes visible to readers before {@link #commit}. Used by one thread at
 * a time.
 */
public interface LoadTransaction extends AutoCloseable {
  /**
   * Writes a chunk of rows.
   *
   * @throws io.bucketload.core.error.TargetException when the target fails or refuses the rows
   */
  void write(RowChunk chunk);

  /**
   * Makes the rows visible and records {@code entry} (its counts filled in) in the ledger,
   * atomically where the target allows.
   *
   * @param entry the ledger entry of the file, with status {@code LOADED}; its counts are ignored
   * @return what the load did
   * @throws io.bucketload.core.error.TargetException when the commit fails; nothing is then visible
   */
  LoadCounts commit(LedgerEntry entry);

  /** Discards everything written. Never throws; safe to call after a failed write or commit. */
  void abort();

  /** Releases resources; aborts if neither committed nor aborted. Never throws. */
  @Override
  void close();
}
