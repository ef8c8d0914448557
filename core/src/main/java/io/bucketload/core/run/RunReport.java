package io.bucketload.core.run;

import io.bucketload.core.error.Fault;
import io.bucketload.core.target.FileStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a run.
 *
 * @param pipeline the pipeline's name
 * @param runId the run's id, as recorded in the ledger
 * @param startedAt when the run started
 * @param files one report per file, in the order loaded
 * @param durationMs the run's duration
 * @param notes what the user should know of the run as a whole (e.g. that its pattern matched no
 *     file, and what is there instead)
 * @param trigger what started the run ({@link RunOptions#trigger()})
 * @param notifications what became of the run's notifications, once they were sent
 */
public record RunReport(
    String pipeline,
    String runId,
    Instant startedAt,
    List<FileReport> files,
    long durationMs,
    List<String> notes,
    String trigger,
    List<io.bucketload.core.notify.Delivered> notifications) {
  /** Checks and copies the fields. */
  public RunReport {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(trigger, "trigger");
    files = List.copyOf(files);
    notes = List.copyOf(notes);
    notifications = List.copyOf(notifications);
  }

  /** The report of a run that {@code trigger} started, before its notifications. */
  public RunReport(
      String pipeline,
      String runId,
      Instant startedAt,
      List<FileReport> files,
      long durationMs,
      List<String> notes,
      String trigger) {
    this(pipeline, runId, startedAt, files, durationMs, notes, trigger, List.of());
  }

  /** The same report with what became of its notifications. */
  public RunReport withNotifications(List<io.bucketload.core.notify.Delivered> sent) {
    return new RunReport(pipeline, runId, startedAt, files, durationMs, notes, trigger, sent);
  }

  /** The report of a run started by a command. */
  public RunReport(
      String pipeline,
      String runId,
      Instant startedAt,
      List<FileReport> files,
      long durationMs,
      List<String> notes) {
    this(pipeline, runId, startedAt, files, durationMs, notes, RunOptions.BY_HAND);
  }

  /**
   * The most serious fault among failed files: system over config over data; empty if none failed.
   */
  public Optional<Fault> worstFault() {
    Optional<Fault> worst = Optional.empty();
    for (FileReport file : files) {
      if (file.status() == FileStatus.FAILED) {
        Fault fault = file.fault().orElse(Fault.SYSTEM);
        if (worst.isEmpty() || rank(fault) > rank(worst.get())) {
          worst = Optional.of(fault);
        }
      }
    }
    return worst;
  }

  private static int rank(Fault fault) {
    return switch (fault) {
      case DATA -> 1;
      case CONFIG -> 2;
      case SYSTEM -> 3;
    };
  }

  /** The number of files with the given status. */
  public long count(FileStatus status) {
    return files.stream().filter(file -> file.status() == status).count();
  }
}
