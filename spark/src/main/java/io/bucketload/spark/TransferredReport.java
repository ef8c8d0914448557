package io.bucketload.spark;

import io.bucketload.core.error.Fault;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.FileStats;
import io.bucketload.core.run.RejectReason;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A file's report as a task hands it to the driver: everything a {@link FileReport} holds, in a
 * form Spark can serialize (absent values are nulls here, never past {@link #toReport()}).
 *
 * @param file the object's key
 * @param version the version's checksum or id, or null
 * @param outcome what became of the file
 * @param stats what reading it measured
 * @param warnings things the user should know
 */
record TransferredReport(
    String file, String version, Outcome outcome, Stats stats, List<String> warnings)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Which {@link FileOutcome} a report has. */
  enum Kind {
    LOADED,
    VALID,
    SKIPPED,
    WAITING,
    FAILED_ON_DATA,
    FAILED_ON_SYSTEM,
    REFUSED
  }

  /**
   * A {@link FileOutcome}.
   *
   * @param kind which one
   * @param counts the load's counts (loaded), or null
   * @param exports export files (loaded)
   * @param reason why (waiting, failed, refused), or null
   * @param rowsAccepted rows a dry run found loadable (valid)
   * @param earlier the ledger entry it refers to (skipped, failed before), or null
   */
  record Outcome(
      Kind kind,
      Counts counts,
      List<String> exports,
      String reason,
      long rowsAccepted,
      Entry earlier)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** {@link LoadCounts}, a null where the target cannot tell. */
  record Counts(long loaded, Long inserted, Long updated, Long unchanged, Long deleted)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    static Counts of(LoadCounts counts) {
      return new Counts(
          counts.loaded(),
          boxed(counts.inserted()),
          boxed(counts.updated()),
          boxed(counts.unchanged()),
          boxed(counts.deleted()));
    }

    LoadCounts toCounts() {
      return new LoadCounts(
          loaded, unboxed(inserted), unboxed(updated), unboxed(unchanged), unboxed(deleted));
    }
  }

  /** A {@link LedgerEntry}. */
  record Entry(
      String pipeline,
      String runId,
      String key,
      long size,
      String checksum,
      FileStatus status,
      Instant startedAt,
      Instant finishedAt,
      long rowsRead,
      long rowsRejected,
      Counts counts,
      String error,
      Fault fault,
      String definition,
      String trigger)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    static Entry of(LedgerEntry entry) {
      return new Entry(
          entry.pipeline(),
          entry.runId(),
          entry.file().key(),
          entry.file().size(),
          entry.file().checksum(),
          entry.status(),
          entry.startedAt(),
          entry.finishedAt(),
          entry.rowsRead(),
          entry.rowsRejected(),
          Counts.of(entry.counts()),
          entry.error().orElse(null),
          entry.fault().orElse(null),
          entry.definition(),
          entry.trigger());
    }

    LedgerEntry toEntry() {
      return new LedgerEntry(
          pipeline,
          runId,
          new FileVersion(key, size, checksum),
          status,
          startedAt,
          finishedAt,
          rowsRead,
          rowsRejected,
          counts.toCounts(),
          Optional.ofNullable(error),
          Optional.ofNullable(fault),
          definition,
          trigger);
    }
  }

  /** {@link FileStats}. */
  record Stats(
      long rowsRead,
      long rowsRejected,
      long bytes,
      long durationMs,
      String rejectsPath,
      List<Reason> rejectReasons,
      long rowsFiltered)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A {@link RejectReason}. */
  record Reason(String column, String reason, long rows, long firstLine) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The serializable form of {@code report}. */
  static TransferredReport of(FileReport report) {
    FileStats stats = report.stats();
    return new TransferredReport(
        report.file(),
        report.version().orElse(null),
        outcome(report.outcome()),
        new Stats(
            stats.rowsRead(),
            stats.rowsRejected(),
            stats.bytes(),
            stats.durationMs(),
            stats.rejectsPath().orElse(null),
            stats.rejectReasons().stream()
                .map(r -> new Reason(r.column(), r.reason(), r.rows(), r.firstLine()))
                .toList(),
            stats.rowsFiltered()),
        List.copyOf(report.warnings()));
  }

  private static Outcome outcome(FileOutcome outcome) {
    if (outcome instanceof FileOutcome.Loaded loaded) {
      return new Outcome(
          Kind.LOADED, Counts.of(loaded.counts()), List.copyOf(loaded.exports()), null, 0, null);
    }
    if (outcome instanceof FileOutcome.Valid valid) {
      return new Outcome(Kind.VALID, null, List.of(), null, valid.rowsAccepted(), null);
    }
    if (outcome instanceof FileOutcome.Skipped skipped) {
      return new Outcome(Kind.SKIPPED, null, List.of(), null, 0, Entry.of(skipped.earlier()));
    }
    if (outcome instanceof FileOutcome.Waiting waiting) {
      return new Outcome(Kind.WAITING, null, List.of(), waiting.reason(), 0, null);
    }
    if (outcome instanceof FileOutcome.FailedOnData failed) {
      return new Outcome(
          Kind.FAILED_ON_DATA,
          null,
          List.of(),
          failed.reason(),
          0,
          failed.earlier().map(Entry::of).orElse(null));
    }
    if (outcome instanceof FileOutcome.FailedOnSystem failed) {
      return new Outcome(Kind.FAILED_ON_SYSTEM, null, List.of(), failed.reason(), 0, null);
    }
    FileOutcome.Refused refused = (FileOutcome.Refused) outcome;
    return new Outcome(Kind.REFUSED, null, List.of(), refused.reason(), 0, null);
  }

  /** The report again, as the task's engine made it. */
  FileReport toReport() {
    return new FileReport(
        file,
        Optional.ofNullable(version),
        toOutcome(),
        new FileStats(
            stats.rowsRead(),
            stats.rowsRejected(),
            stats.bytes(),
            stats.durationMs(),
            Optional.ofNullable(stats.rejectsPath()),
            stats.rejectReasons().stream()
                .map(r -> new RejectReason(r.column(), r.reason(), r.rows(), r.firstLine()))
                .toList(),
            stats.rowsFiltered()),
        warnings);
  }

  private FileOutcome toOutcome() {
    return switch (outcome.kind()) {
      case LOADED -> new FileOutcome.Loaded(outcome.counts().toCounts(), outcome.exports());
      case VALID -> new FileOutcome.Valid(outcome.rowsAccepted());
      case SKIPPED -> new FileOutcome.Skipped(outcome.earlier().toEntry());
      case WAITING -> new FileOutcome.Waiting(outcome.reason());
      case FAILED_ON_DATA ->
          new FileOutcome.FailedOnData(
              outcome.reason(), Optional.ofNullable(outcome.earlier()).map(Entry::toEntry));
      case FAILED_ON_SYSTEM -> new FileOutcome.FailedOnSystem(outcome.reason());
      case REFUSED -> new FileOutcome.Refused(outcome.reason());
    };
  }

  private static Long boxed(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }

  private static OptionalLong unboxed(Long value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(value);
  }
}
