package io.bucketload.core.target;

import io.bucketload.core.source.FileVersion;
import java.util.List;
import java.util.Optional;

/**
 * The record of file versions loaded by each pipeline: what makes loads exactly once. Successful
 * loads are recorded by {@link LoadTransaction#commit}; this interface reads the record and records
 * failed attempts. Thread-safe.
 *
 * <p>Methods throw {@link io.bucketload.core.error.TargetException} when the ledger cannot be read
 * or written.
 */
public interface Ledger {
  /** The successful load of this version by this pipeline, if there was one. */
  Optional<LedgerEntry> findLoaded(String pipeline, FileVersion version);

  /** Records a failed attempt (the rows were not committed). */
  void recordFailure(LedgerEntry entry);

  /** The pipeline's most recent attempts, newest first. */
  List<LedgerEntry> history(String pipeline, int limit);
}
