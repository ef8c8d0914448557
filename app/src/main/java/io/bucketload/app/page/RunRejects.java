package io.bucketload.app.page;

import io.bucketload.core.run.RejectsFile;
import io.bucketload.core.source.OutputStore;
import java.io.IOException;
import java.io.InputStream;
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
   * What the page shows of the rejects of {@code file} in {@code run}.
   *
   * @param pipeline the pipeline's runs, to find a later load of the same file
   */
  public RejectsShown of(PipelineView pipeline, RunView run, FileView file) {
    if (file.repeats().isPresent()) {
      return new RejectsShown.Unavailable(
          "the file was not read again: its rejects are those of run " + file.repeats().get());
    }
    Optional<RunView> later =
        pipeline.runs().stream()
            .filter(other -> other.startedAt().isAfter(run.startedAt()))
            .filter(
                other ->
                    other.files().stream()
                        .anyMatch(
                            attempt -> attempt.file().equals(file.file()) && attempt.attempted()))
            .reduce((newer, older) -> older);
    if (later.isPresent()) {
      return new RejectsShown.Unavailable(
          "the rejects file was rewritten by a later load of the file, run " + later.get().runId());
    }
    String path = RejectsFile.pathOf(file.file(), rejectedFolder);
    String location = outputs.describe().replaceAll("/+$", "") + "/" + path;
    try {
      Optional<InputStream> opened = outputs.open(path);
      if (opened.isEmpty()) {
        return new RejectsShown.Unavailable(
            mask.apply("the rejects file is no longer at " + location));
      }
      try (InputStream in = opened.get()) {
        return new RejectsShown.Summed(mask.apply(location), RejectsFile.summarize(in, FIRST_ROWS));
      }
    } catch (IOException | RuntimeException e) {
      return new RejectsShown.Unavailable(
          mask.apply("the rejects file at " + location + " cannot be read: " + e.getMessage()));
    }
  }
}
