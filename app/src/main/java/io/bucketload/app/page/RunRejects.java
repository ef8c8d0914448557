package io.bucketload.app.page;

import io.bucketload.core.run.RejectsFile;
import io.bucketload.core.source.OutputStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads back the rejects of a run's files from the pipeline's output store, for the run's page. A
 * file's rejects file is rewritten by each later load of the same file: the page says so rather
 * than show a later run's rejects as this run's.
 */
public final class RunRejects {
  /** How many of the first rejected rows a run's page shows per file. */
  public static final int FIRST_ROWS = 20;

  /** How many rows of a rejects file are read at most to count its reasons. */
  public static final long MAX_ROWS = 100_000;

  /**
   * How much later than the run's end its rejects file may seem written (the store's clock against
   * this host's) and still be taken as the run's.
   */
  static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);

  private final OutputStore outputs;
  private final String rejectedFolder;
  private final UnaryOperator<String> mask;

  /**
   * Reads from {@code outputs}.
   *
   * @param outputs the pipeline's output store
   * @param rejectedFolder the folder beside each file that holds its rejects ({@code
   *     source.rejected})
   * @param mask masks secrets in what the page says (a location, an error)
   */
  public RunRejects(OutputStore outputs, String rejectedFolder, UnaryOperator<String> mask) {
    this.outputs = outputs;
    this.rejectedFolder = rejectedFolder;
    this.mask = mask;
  }

  /**
   * What the page shows of the rejects of {@code file} in {@code run}: the rejects file summed up,
   * unless a later load of the file is known to the pipeline's runs, or the file was written after
   * the run ended (a load by another process, a {@code validate}).
   *
   * @param pipeline the pipeline's runs, to find a later load of the same file
   */
  public RejectsShown of(PipelineView pipeline, RunView run, FileView file) {
    Optional<RunView> later =
        pipeline.runs().stream()
            .filter(other -> other.startedAt().isAfter(run.startedAt()))
            .filter(other -> other.files().stream().anyMatch(f -> f.file().equals(file.file())))
            .reduce((newer, older) -> older);
    if (later.isPresent()) {
      return new RejectsShown.Unavailable(
          "the rejects file was rewritten by a later load of the file, run " + later.get().runId());
    }
    String path = RejectsFile.pathOf(file.file(), rejectedFolder);
    String location = mask.apply(outputs.describe().replaceAll("/+$", "") + "/" + path);
    Instant ended = run.startedAt().plusMillis(run.durationMs()).plus(CLOCK_TOLERANCE);
    try {
      Optional<OutputStore.Stored> opened = outputs.open(path);
      if (opened.isEmpty()) {
        return new RejectsShown.Unavailable("the rejects file is no longer at " + location);
      }
      try (OutputStore.Stored stored = opened.get()) {
        if (stored.modified().isAfter(ended)) {
          return new RejectsShown.Unavailable(
              "the rejects file at "
                  + location
                  + " was written again at "
                  + Html.time(stored.modified())
                  + ", after this run");
        }
        RejectsFile.Summary summary = RejectsFile.summarize(stored.stream(), FIRST_ROWS, MAX_ROWS);
        Optional<String> note =
            summary.complete() && summary.records() != file.rowsRejected()
                ? Optional.of(
                    "The file holds the rejects of "
                        + Html.count(summary.records())
                        + " rows where this run rejected "
                        + Html.count(file.rowsRejected())
                        + ": another load may have written it since.")
                : Optional.empty();
        return new RejectsShown.Summed(location, summary, note);
      }
    } catch (IOException | RuntimeException e) {
      return new RejectsShown.Unavailable(
          mask.apply("the rejects file at " + location + " cannot be read: " + e.getMessage()));
    }
  }
}
