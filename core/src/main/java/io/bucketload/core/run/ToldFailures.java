package io.bucketload.core.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The system failures a long-lived pipeline (a service, a warm Lambda container) has told its
 * notifiers of, so that an outage is told once: while the database stays down, every pass of a
 * watch or redelivered event fails the same file version again, and each of those runs repeats the
 * failure already told. A version stops being remembered as soon as a run ends it otherwise
 * (loaded, skipped, failed on its data, waiting); a failure of the whole run (the source could not
 * be listed, the target could not be reached) as soon as a run gets past it or its trigger answers
 * again. A run that fails as a whole because its target cannot be reached, right after a run that
 * told of a file's system failure (the connection lost in the middle of a load, then the server
 * unreachable as the next run starts), is the same outage: it counts as told in that run. At most
 * {@value #MOST} versions are remembered, the oldest forgotten first. Thread-safe.
 */
final class ToldFailures {
  static final int MOST = 10_000;

  /** The key of a failure of the whole run, reported under the source's description. */
  private final String wholeRun;

  private final Map<String, String> toldIn =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MOST;
        }
      };

  /**
   * The run that told of a file's system failure first, when it is the last run remembered: the
   * next run, failing as a whole because the target cannot be reached, is told there.
   */
  private Optional<String> fileOutageToldIn = Optional.empty();

  /**
   * @param source the description of the pipeline's source, which names a failure of the whole run
   */
  ToldFailures(String source) {
    this.wholeRun = source + '\0';
  }

  /**
   * The report with each system failure told before in this outage marked as such ({@link
   * FileOutcome.FailedOnSystem#toldIn()}). {@code targetUnreachable}: whether a failure of the
   * whole run in the report is that its target could not be reached, which right after a run that
   * told of a file's system failure is the same outage.
   */
  synchronized RunReport marked(RunReport report, boolean targetUnreachable) {
    List<FileReport> files = new ArrayList<>(report.files().size());
    boolean marked = false;
    for (FileReport file : report.files()) {
      String key = key(file);
      Optional<String> earlier = Optional.ofNullable(toldIn.get(key));
      if (earlier.isEmpty() && targetUnreachable && key.equals(wholeRun)) {
        earlier = fileOutageToldIn;
      }
      if (file.outcome() instanceof FileOutcome.FailedOnSystem failed
          && failed.toldIn().isEmpty()
          && earlier.isPresent()) {
        files.add(
            new FileReport(
                file.file(),
                file.version(),
                new FileOutcome.FailedOnSystem(failed.reason(), earlier),
                file.stats(),
                file.warnings()));
        marked = true;
      } else {
        files.add(file);
      }
    }
    if (!marked) {
      return report;
    }
    return new RunReport(
        report.pipeline(),
        report.runId(),
        report.startedAt(),
        files,
        report.durationMs(),
        report.notes(),
        report.trigger(),
        report.notifications());
  }

  /**
   * Remembers the system failures a {@linkplain #marked marked} report told of first, when its news
   * {@code reached} someone (else the next repeat is told again), and forgets the versions it ends
   * otherwise.
   */
  synchronized void remember(RunReport report, boolean reached) {
    Optional<String> fileOutage = Optional.empty();
    for (FileReport file : report.files()) {
      String key = key(file);
      if (file.outcome() instanceof FileOutcome.FailedOnSystem failed) {
        if (reached && failed.toldIn().isEmpty()) {
          toldIn.put(key, report.runId());
          if (!key.equals(wholeRun)) {
            fileOutage = Optional.of(report.runId());
          }
        } else if (key.equals(wholeRun) && failed.toldIn().isPresent()) {
          // Told with a file's failure: its repeats are not news either.
          toldIn.putIfAbsent(key, failed.toldIn().get());
        }
      } else {
        toldIn.remove(key);
      }
    }
    if (report.files().stream().noneMatch(file -> key(file).equals(wholeRun))) {
      // The run got past the source and the target: a failure of the whole run is over.
      toldIn.remove(wholeRun);
    }
    // Only for the run right after this one.
    fileOutageToldIn = fileOutage;
  }

  /** The trigger answers again: a failure of the whole run is over. */
  synchronized void answered() {
    toldIn.remove(wholeRun);
    fileOutageToldIn = Optional.empty();
  }

  private static String key(FileReport file) {
    return file.file() + '\0' + file.version().orElse("");
  }
}
