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
import java.util.Optional;

/**
 * One run as the history pages show it, with the files it tried to load (those the ledger records;
 * not the files skipped as already loaded, still waiting, or whose earlier failure on their data it
 * repeated without reading them): from its report (a run of this process) or from the ledger's
 * entries of it, the same either way.
 *
 * @param runId the run's id
 * @param trigger what started it, empty when not known
 * @param startedAt when it started
 * @param durationMs how long it took
 * @param files its files, in the order loaded
 * @param notifications what became of its notifications; empty when they were not read (an older
 *     run of the ledger)
 */
public record RunView(
    String runId,
    String trigger,
    Instant startedAt,
    long durationMs,
    List<FileView> files,
    Optional<List<Delivered>> notifications) {
  /** Checks and copies the fields. */
  public RunView {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(startedAt, "startedAt");
    files = List.copyOf(files);
    notifications = notifications.map(List::copyOf);
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

  /**
   * The run of a report, empty when it tried to load no file (every file skipped or waiting, or
   * none): the ledger records no such run either.
   */
  public static Optional<RunView> of(RunReport report) {
    List<FileView> files =
        report.files().stream().filter(FileView::attempted).map(FileView::of).toList();
    if (files.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RunView(
            report.runId(),
            report.trigger(),
            report.startedAt(),
            report.durationMs(),
            files,
            Optional.of(report.notifications())));
  }

  /**
   * The runs of ledger entries, newest first as the ledger lists them.
   *
   * @param entries the pipeline's latest entries, newest first, as the ledger gave them
   * @param limit how many entries were asked for: when the ledger gave that many, the oldest run
   *     may have more entries than were read, and is left out rather than shown in part
   * @param notified notifications by run id, of the runs in {@code read}
   * @param read the runs whose notifications were read (the others show them as not read)
   */
  public static List<RunView> ofLedger(
      List<LedgerEntry> entries,
      int limit,
      Map<String, List<Delivered>> notified,
      java.util.Set<String> read) {
    Map<String, List<LedgerEntry>> byRun = new LinkedHashMap<>();
    for (LedgerEntry entry : entries) {
      byRun.computeIfAbsent(entry.runId(), id -> new ArrayList<>()).add(entry);
    }
    if (entries.size() >= limit && byRun.size() > 1) {
      byRun.remove(entries.get(entries.size() - 1).runId());
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
                  read.contains(runId)
                      ? Optional.of(notified.getOrDefault(runId, List.of()))
                      : Optional.empty()));
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
