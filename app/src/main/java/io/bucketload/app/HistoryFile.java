package io.bucketload.app;

import io.bucketload.app.page.FileView;
import io.bucketload.app.page.HistoryPages;
import io.bucketload.app.page.PipelineView;
import io.bucketload.app.page.RunRejects;
import io.bucketload.app.page.RunView;
import io.bucketload.core.notify.Delivered;
import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.LedgerEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a pipeline's history page as one self-contained HTML file ({@code runs --html}): the page
 * {@code serve --listen} shows for the pipeline, with every run's details below it.
 */
final class HistoryFile {
  private HistoryFile() {}

  /**
   * Writes the page of these ledger entries to {@code file}, replacing it whole.
   *
   * @param targetDescription the target, for people, secrets masked
   * @param entries the pipeline's latest ledger entries, newest first
   * @param limit how many entries were asked for (a run cut off by it is left out)
   * @param notified the notifications of the runs in {@code notificationsRead}
   * @param notificationsRead the runs whose notifications were read
   * @return how many runs the page shows
   * @throws IOException when the file cannot be written
   */
  static int write(
      PipelineSpec spec,
      String targetDescription,
      List<LedgerEntry> entries,
      int limit,
      Map<String, List<Delivered>> notified,
      java.util.Set<String> notificationsRead,
      Path file)
      throws IOException {
    List<RunView> runs = RunView.ofLedger(entries, limit, notified, notificationsRead);
    PipelineView view =
        new PipelineView(
            spec.name(),
            spec.mask(spec.source().describe()),
            targetDescription,
            triggers(spec),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            runs,
            entries.size() >= limit && !runs.isEmpty()
                ? Optional.of(runs.get(runs.size() - 1).startedAt())
                : Optional.empty());
    String page;
    try (OutputStore outputs = Sources.outputs(spec.source())) {
      RunRejects rejects = new RunRejects(outputs, spec.source().rejectedFolder(), spec::mask);
      page =
          HistoryPages.oneFile(
              view, Instant.now(), (RunView run, FileView shown) -> rejects.of(view, run, shown));
    }
    Path absolute = file.toAbsolutePath();
    Path partial = absolute.resolveSibling("." + absolute.getFileName() + ".partial");
    try {
      Files.writeString(partial, page, StandardCharsets.UTF_8);
      Files.move(
          partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(partial);
      throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return runs.size();
  }

  /** The pipeline's triggers for people, as its file names them: {@code watch 30s}. */
  static List<String> triggers(PipelineSpec spec) {
    return spec.triggers().stream()
        .map(trigger -> spec.mask(trigger.type() + " " + trigger.address()))
        .toList();
  }
}
