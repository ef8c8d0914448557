package io.bucketload.aws.sqs;

import io.bucketload.aws.S3Source;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.PipelineRunner;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.target.FileStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the objects events name: those in the pipeline's bucket, under its prefix and matching its
 * {@code match}; the others are ignored. An event is done when each of its files is loaded or was
 * already; a failed file, or one another worker is loading, leaves it to be delivered again. Not
 * thread-safe (one runner).
 */
public final class EventLoads {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoads.class);

  private final S3Source source;
  private final PipelineRunner runner;

  /**
   * Creates the loader.
   *
   * @param source the pipeline's S3 source, which says which objects are the pipeline's
   * @param runner the pipeline's runner
   */
  public EventLoads(S3Source source, PipelineRunner runner) {
    this.source = source;
    this.runner = runner;
  }

  /** What became of one message's events. */
  public record Outcome(boolean done, Optional<RunReport> report, int ignored) {}

  /**
   * Loads the pipeline's objects among {@code events}.
   *
   * @return whether the message may be deleted, with the run's report when something ran
   * @throws IOException when the source cannot be read
   */
  public Outcome load(List<ObjectEvent> events) throws IOException {
    List<String> uris = new ArrayList<>();
    int ignored = 0;
    for (ObjectEvent event : events) {
      if (isOurs(event)) {
        uris.add(event.uri());
      } else {
        ignored++;
        LOG.info("ignored {}: not under {}", event.uri(), source.describe());
      }
    }
    if (uris.isEmpty()) {
      return new Outcome(true, Optional.empty(), ignored);
    }
    RunReport report = runner.run(uris, false);
    boolean done =
        report.files().stream()
            .map(FileReport::status)
            .allMatch(status -> status == FileStatus.LOADED || status == FileStatus.SKIPPED);
    return new Outcome(done, Optional.of(report), ignored);
  }

  private boolean isOurs(ObjectEvent event) {
    String prefix = source.location().prefix();
    return event.bucket().equals(source.location().bucket())
        && event.key().startsWith(prefix)
        && source.matches(event.key().substring(prefix.length()));
  }
}
