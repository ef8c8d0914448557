package io.bucketload.app.page;

import io.bucketload.core.error.Fault;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import java.util.Objects;
import java.util.Optional;

/**
 * One file of a run as the history pages show it.
 *
 * @param file the file's key
 * @param version its version (checksum, ETag), empty when not known
 * @param status {@code loaded}, {@code failed}, {@code skipped}, {@code waiting} or {@code valid}
 * @param fault whose fault a failure was
 * @param rowsRead data records read
 * @param rowsRejected records rejected
 * @param counts what the load did to the table
 * @param error why it failed, if it did
 */
public record FileView(
    String file,
    String version,
    String status,
    Optional<Fault> fault,
    long rowsRead,
    long rowsRejected,
    LoadCounts counts,
    Optional<String> error) {
  /** Checks the fields. */
  public FileView {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(error, "error");
  }

  /** A file as the ledger recorded its attempt. */
  public static FileView of(LedgerEntry entry) {
    return new FileView(
        entry.file().key(),
        entry.file().checksum(),
        entry.status().reportName(),
        entry.fault(),
        entry.rowsRead(),
        entry.rowsRejected(),
        entry.counts(),
        entry.error());
  }

  /**
   * A file as a run's report tells it; see {@link #attempted(FileReport)} for the files the ledger
   * records.
   */
  public static FileView of(FileReport report) {
    return new FileView(
        report.file(),
        report.version().orElse(""),
        report.status().reportName(),
        report.fault(),
        report.rowsRead(),
        report.rowsRejected(),
        report.counts(),
        report.error());
  }

  /** Whether the file loaded. */
  public boolean loaded() {
    return status.equals("loaded");
  }

  /** Whether the file failed. */
  public boolean failed() {
    return status.equals("failed");
  }

  /**
   * Whether the run tried to load the file, so that the ledger records it: it loaded, or failed
   * trying. Not a file skipped as already loaded, one still waiting, or one whose earlier failure
   * on its data the run repeated without reading it again.
   */
  public static boolean attempted(FileReport report) {
    FileOutcome outcome = report.outcome();
    if (outcome instanceof FileOutcome.FailedOnData failed) {
      return failed.earlier().isEmpty();
    }
    return outcome instanceof FileOutcome.Loaded
        || outcome instanceof FileOutcome.FailedOnSystem
        || outcome instanceof FileOutcome.Refused;
  }
}
