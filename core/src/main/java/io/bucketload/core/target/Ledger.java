package io.bucketload.core.target;

import io.bucketload.core.source.FileVersion;
import java.time.Instant;
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
   * What decides this version's fate under this pipeline: the file's latest load (of any version)
   * and this version's last failure on its data ({@link LedgerEntry#fault()} {@code DATA}).
   * Failures of the system are never final and are not part of it.
   */
  VersionRecord lookup(String pipeline, FileVersion version);

  /**
   * Whether the ledger may hold an entry of {@code pipeline} for a version of {@code key} of {@code
   * size} bytes. False proves that every version of that size is new to the ledger, whatever its
   * checksum, so that a file can load while it is checksummed. True by default: a ledger that
   * cannot tell says so.
   *
   * @throws io.bucketload.core.error.TargetException when the ledger cannot be read
   */
  default boolean mayKnow(String pipeline, String key, long size) {
    return true;
  }

  /** Records a failed attempt (the rows were not committed), with its fault. */
  void recordFailure(LedgerEntry entry);

  /** The pipeline's most recent attempts, newest first. */
  List<LedgerEntry> history(String pipeline, int limit);

  /**
   * When the pipeline's trigger of this kind last ran (a schedule: the due time of its last run),
   * so that a restarted service neither skips a due run nor runs it twice.
   *
   * <p>Like {@link #recordTriggered}, called between runs of the pipeline, never during one: a SQL
   * ledger shares the target's connection with loads.
   *
   * @param trigger the kind of trigger, e.g. {@code schedule}
   * @return the time recorded, empty when it never ran
   */
  Optional<Instant> lastTriggered(String pipeline, String trigger);

  /** Records that the pipeline's trigger of this kind ran for the time {@code at}. */
  void recordTriggered(String pipeline, String trigger, Instant at);

  /**
   * Records what became of a run's notifications, after the run (never during one).
   *
   * @param sent one entry per channel told of the run
   */
  void recordNotifications(
      String pipeline, String runId, List<io.bucketload.core.notify.Delivered> sent);

  /**
   * The notifications recorded for these runs of the pipeline.
   *
   * @return by run id; runs without any are absent
   */
  java.util.Map<String, List<io.bucketload.core.notify.Delivered>> notifications(
      String pipeline, java.util.Collection<String> runIds);
}
