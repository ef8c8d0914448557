package io.bucketload.core.target;

import io.bucketload.core.source.FileVersion;
import java.util.List;
import java.util.Optional;

/**
 * The record of what became of each file version under each pipeline: what makes loads exactly once
 * and data failures final. Successful loads are recorded by {@link LoadTransaction#commit}; this
 * interface reads the record and records failed attempts.
 *
 * <p>Thread-safe. Arguments and results are never null. Methods throw {@link
 * io.bucketload.core.error.TargetException} when the ledger cannot be read or written.
 */
public interface Ledger {
  /**
   * The final outcome of this version under this pipeline, if it has one: its successful load if it
   * ever loaded (a load wins over any failure recorded after it, e.g. by a concurrent attempt),
   * else its most recent failure on its data ({@link LedgerEntry#fault()} {@code DATA}). Failures
   * of the system are never final.
   */
  Optional<LedgerEntry> findFinal(String pipeline, FileVersion version);

  /** Records a failed attempt (the rows were not committed), with its fault. */
  void recordFailure(LedgerEntry entry);

  /** The pipeline's most recent attempts, newest first. */
  List<LedgerEntry> history(String pipeline, int limit);
}
