package io.bucketload.app.page;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pipeline as the history pages show it.
 *
 * @param name the pipeline's name
 * @param source where its files come from, secrets masked
 * @param target where they load, secrets masked
 * @param triggers what starts its runs, for people; empty for a pipeline run by hand
 * @param nextRun when a schedule will next start a run, when there is one
 * @param health the problems of its source and target at the last attempt to reach them (empty when
 *     healthy); empty when not known (a page written by {@code runs --html})
 * @param waiting files waiting to load (settling, an incomplete set), when known
 * @param runs its runs, newest first
 * @param keptSince when older runs were left out (the pages keep the latest ones), the start of the
 *     oldest run kept: counts over a longer time are then at least what the runs kept show
 */
public record PipelineView(
    String name,
    String source,
    String target,
    List<String> triggers,
    Optional<Instant> nextRun,
    Optional<List<String>> health,
    Optional<Integer> waiting,
    List<RunView> runs,
    Optional<Instant> keptSince) {
  /** Checks and copies the fields. */
  public PipelineView {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    triggers = List.copyOf(triggers);
    Objects.requireNonNull(nextRun, "nextRun");
    health = health.map(List::copyOf);
    Objects.requireNonNull(waiting, "waiting");
    runs = List.copyOf(runs);
    Objects.requireNonNull(keptSince, "keptSince");
  }

  /** Whether the pipeline needs someone's attention: unhealthy, or its last run failed. */
  public boolean needsAttention() {
    return health.map(problems -> !problems.isEmpty()).orElse(false)
        || (!runs.isEmpty() && runs.get(0).outcome() == RunView.Outcome.FAILED);
  }

  /**
   * Files with this status in the runs kept that started at or after {@code since}, each version
   * once; see {@link #coversSince}.
   */
  public long filesSince(Instant since, String status) {
    return runs.stream()
        .filter(run -> !run.startedAt().isBefore(since))
        .flatMap(run -> run.files().stream())
        .filter(file -> file.status().equals(status))
        .map(file -> file.file() + "\n" + file.version())
        .distinct()
        .count();
  }

  /** Whether the runs kept are all the runs since {@code since}, so that counts are exact. */
  public boolean coversSince(Instant since) {
    return keptSince.map(oldest -> !oldest.isAfter(since)).orElse(true);
  }

  /** The run of this id, if the pipeline knows it. */
  public Optional<RunView> run(String runId) {
    return runs.stream().filter(run -> run.runId().equals(runId)).findFirst();
  }
}
