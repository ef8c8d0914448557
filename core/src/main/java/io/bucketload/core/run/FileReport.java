package io.bucketload.core.run;

import io.bucketload.core.error.Fault;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LoadCounts;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The report of one file: its outcome, what reading it measured, and what the user should know.
 *
 * @param file the object's key
 * @param version the version's checksum or id, empty when it could not be identified
 * @param outcome what became of the file
 * @param stats rows, bytes and time
 * @param warnings things the user should know that did not fail the file
 */
public record FileReport(
    String file,
    Optional<String> version,
    FileOutcome outcome,
    FileStats stats,
    List<String> warnings) {
  /**
   * The warning of a failed file whose target had written some of its rows before the failure (a
   * target that writes before its commit, DynamoDB): they stay.
   */
  public static final String WRITES_STAY =
      "rows written before the failure stay in the table (DynamoDB writes before its commit);"
          + " the next load writes them again by key";

  /** Whether a failed file's rows may be in the table all the same ({@link #WRITES_STAY}). */
  public boolean writesStay() {
    return warnings.contains(WRITES_STAY);
  }

  /** Checks and copies the fields. */
  public FileReport {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(stats, "stats");
    warnings = List.copyOf(warnings);
  }

  /**
   * The one entry of a run that failed as a whole (the source could not be listed, the target not
   * reached), named after the source: {@code the run failed: REASON}.
   *
   * @param source the source's description
   * @param reason why, already masked
   */
  public static FileReport runFailed(String source, String reason) {
    return new FileReport(
        source,
        Optional.empty(),
        new FileOutcome.FailedOnSystem("the run failed: " + reason),
        FileStats.none(0),
        List.of());
  }

  /** The status shown in reports. */
  public FileStatus status() {
    return outcome.status();
  }

  /** Data records read. */
  public long rowsRead() {
    return stats.rowsRead();
  }

  /** Records rejected. */
  public long rowsRejected() {
    return stats.rowsRejected();
  }

  /** Rows committed (0 unless loaded). */
  public long rowsLoaded() {
    return counts().loaded();
  }

  /** What the load did to the table; {@link LoadCounts#none()} unless loaded. */
  public LoadCounts counts() {
    return outcome instanceof FileOutcome.Loaded loaded ? loaded.counts() : LoadCounts.none();
  }

  /** Rows inserted, when loaded and the target can tell. */
  public OptionalLong inserted() {
    return counts().inserted();
  }

  /** Rows updated, when loaded and the target can tell. */
  public OptionalLong updated() {
    return counts().updated();
  }

  /** Rows already identical (or left untouched by {@code insert_new}). */
  public OptionalLong unchanged() {
    return counts().unchanged();
  }

  /** Rows deleted ({@code replace}, {@code sync}). */
  public OptionalLong deleted() {
    return counts().deleted();
  }

  /** The export files written with this file's unit of work. */
  public List<String> exports() {
    return outcome instanceof FileOutcome.Loaded loaded ? loaded.exports() : List.of();
  }

  /** Where the rejects were written, if any were. */
  public Optional<String> rejectsPath() {
    return stats.rejectsPath();
  }

  /** Why the file failed, for failures. */
  public Optional<String> error() {
    return outcome.error();
  }

  /** Why nothing was done, for skipped and waiting files. */
  public Optional<String> note() {
    return outcome.note();
  }

  /** Whose fault the failure is, for failures. */
  public Optional<Fault> fault() {
    return outcome.fault();
  }

  /** Bytes read. */
  public long bytes() {
    return stats.bytes();
  }

  /** Time spent on the file. */
  public long durationMs() {
    return stats.durationMs();
  }

  /** Rows per second over the file's duration, 0 when too short to tell. */
  public double rowsPerSecond() {
    return stats.durationMs() <= 0 ? 0 : stats.rowsRead() * 1000.0 / stats.durationMs();
  }
}
