package io.bucketload.app.page;

import io.bucketload.core.notify.Delivered;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.target.LedgerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run as the history pages show it: from its report (a run of this process) or from the
 * ledger's entries of it (every attempt to load a file; files skipped as already loaded are not
 * recorded there).
 *
 * @param runId the run's id
 * @param trigger what started it, empty when not known
 * @param startedAt when it started
 * @param durationMs how long it took
 * @param files its files, in the order loaded
 * @param notifications what became of its notifications
 */
public record RunView(
    String runId,
    String trigger,
    Instant startedAt,
    long durationMs,
    List<FileView> files,
    List<Delivered> notifications) {
  /** Checks and copies the fields. */
  public RunView {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(startedAt, "startedAt");
    files = List.copyOf(files);
    notifications = List.copyOf(notifications);
  }

  /** What a run came to, worst first, as the pages colour it. */
  public enum Outcome {
    /** A file failed. */
    FAILED("failed"),
    /** Files loaded, with rejected rows. */
    REJECTS("loaded with rejects"),
    /** Files loaded. */
    LOADED("loaded"),
    /** Nothing was loaded: every file skipped or waiting, or none matched. */
    NOTHING("nothing new");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    /** The outcome for people. */
    public String label() {
      return label;
    }

    /** The CSS class of the outcome. */
    public String cssClass() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The run of a report. */
  public static RunView of(RunReport report) {
    return new RunView(
        report.runId(),
        report.trigger(),
        report.startedAt(),
        report.durationMs(),
        report.files().stream().map(FileView::of).toList(),
        report.notifications());
  }

  /**
   * The runs of ledger entries, newest first as the ledger lists them.
   *
   * @param entries the pipeline's entries, newest first
   * @param notified notifications by run id
   */
  public static List<RunView> ofLedger(
      List<LedgerEntry> entries, Map<String, List<Delivered>> notified) {
    Map<String, List<LedgerEntry>> byRun = new LinkedHashMap<>();
    for (LedgerEntry entry : entries) {
      byRun.computeIfAbsent(entry.runId(), id -> new ArrayList<>()).add(entry);
    }
    List<RunView> runs = new ArrayList<>();
    byRun.forEach(
        (runId, attempts) -> {
          Instant started = attempts.get(0).startedAt();
          Instant finished = attempts.get(0).finishedAt();
          String trigger = "";
          for (LedgerEntry attempt : attempts) {
            started = attempt.startedAt().isBefore(started) ? attempt.startedAt() : started;
            finished = attempt.finishedAt().isAfter(finished) ? attempt.finishedAt() : finished;
            trigger = trigger.isEmpty() ? attempt.trigger() : trigger;
          }
          // The ledger lists a run's files newest first; the run loaded them the other way.
          List<FileView> files = new ArrayList<>();
          for (int i = attempts.size() - 1; i >= 0; i--) {
            files.add(FileView.of(attempts.get(i)));
          }
          runs.add(
              new RunView(
                  runId,
                  trigger,
                  started,
                  Math.max(0, finished.toEpochMilli() - started.toEpochMilli()),
                  files,
                  notified.getOrDefault(runId, List.of())));
        });
    runs.sort((a, b) -> b.startedAt().compareTo(a.startedAt()));
    return runs;
  }

  /** What the run came to. */
  public Outcome outcome() {
    if (files.stream().anyMatch(FileView::failed)) {
      return Outcome.FAILED;
    }
    if (files.stream().noneMatch(FileView::loaded)) {
      return Outcome.NOTHING;
    }
    return rowsRejected() > 0 ? Outcome.REJECTS : Outcome.LOADED;
  }

  /** Rows the target took. */
  public long rowsLoaded() {
    return files.stream().mapToLong(file -> file.counts().loaded()).sum();
  }

  /** Rows rejected, in files that loaded or failed. */
  public long rowsRejected() {
    return files.stream().mapToLong(FileView::rowsRejected).sum();
  }

  /** Rows loaded per second of the run, 0 when it took no measurable time. */
  public long rowsPerSecond() {
    return durationMs <= 0 ? 0 : Math.round(rowsLoaded() * 1000.0 / durationMs);
  }
}
