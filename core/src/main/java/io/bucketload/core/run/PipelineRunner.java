package io.bucketload.core.run;

import io.bucketload.core.error.Fault;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.Target;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline over files: each file version loads exactly once, all or nothing. Not
 * thread-safe: one run at a time per runner.
 */
public final class PipelineRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final PipelineSpec spec;
  private final Source source;
  private final Target target;
  private final LoadListener listener;
  private final Clock clock;

  /**
   * Creates a runner.
   *
   * @param spec the pipeline
   * @param source where files come from
   * @param target where rows go (and the ledger)
   * @param listener observes progress
   * @param clock the time source for reports, ledger entries and {@code now()}
   */
  public PipelineRunner(
      PipelineSpec spec, Source source, Target target, LoadListener listener, Clock clock) {
    this.spec = spec;
    this.source = source;
    this.target = target;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Loads the named files, or every matching file of the source when none is named. Files already
   * loaded are skipped. A file's failure does not stop the others.
   *
   * @param names files named by the user (paths or keys); empty for every matching file
   * @param dryRun when true, validates and writes rejects but loads nothing and records nothing
   * @throws IOException when the source cannot be listed
   */
  public RunReport run(List<String> names, boolean dryRun) throws IOException {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    String runId =
        RUN_TIME.format(started)
            + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000) | 0x1000000)
                .substring(1);
    List<FileReport> reports = new ArrayList<>();
    List<SourceObject> objects = new ArrayList<>();
    if (names.isEmpty()) {
      objects.addAll(source.list());
      LOG.info("[{}] {} file(s) under {}", spec.name(), objects.size(), source.describe());
    } else {
      for (String name : names) {
        try {
          objects.add(source.resolve(name));
        } catch (NoSuchFileException e) {
          reports.add(missing(name));
        }
      }
    }
    for (SourceObject object : objects) {
      reports.add(new FileLoad(spec, source, target, listener, clock, runId, dryRun).load(object));
    }
    return new RunReport(
        spec.name(), runId, started, reports, (System.nanoTime() - startNanos) / 1_000_000);
  }

  private static FileReport missing(String name) {
    return new FileReport(
        name,
        Optional.empty(),
        FileStatus.FAILED,
        0,
        0,
        0,
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        Optional.empty(),
        Optional.of(name + ": no such file"),
        Optional.of(Fault.CONFIG),
        0,
        0,
        List.of());
  }
}
