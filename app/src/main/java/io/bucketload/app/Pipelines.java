package io.bucketload.app;

import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.PipelineRunner;
import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Reads a pipeline file, checks its target settings, and runs it. */
final class Pipelines {
  private Pipelines() {}

  /** Reads and fully checks a pipeline file, without connecting to anything. */
  static PipelineSpec read(Path file) {
    return PipelineSetup.read(file);
  }

  /**
   * Whether the target may hold a ledger: false only for an embedded database file that does not
   * exist yet, which reading the history must not create.
   */
  static boolean targetExists(PipelineSpec spec) {
    return !spec.target().type().equals("duckdb")
        || Files.exists(
            spec.target()
                .settings()
                .path("path", io.bucketload.jdbc.duckdb.DuckDbTargetFactory.DEFAULT_PATH));
  }

  /** Opens the pipeline's target. */
  static Target openTarget(PipelineSpec spec) {
    return PipelineSetup.openTarget(spec);
  }

  /** Loads the named files (or every matching one) into the pipeline's target. */
  static RunReport run(PipelineSpec spec, List<String> files, LoadListener listener)
      throws IOException {
    Source source = Sources.open(spec.source());
    try (Target target = openTarget(spec)) {
      return new PipelineRunner(spec, source, target, listener, Clock.systemUTC())
          .run(files, false);
    }
  }

  /** Checks the named files (or every matching one) and writes their rejects; loads nothing. */
  static RunReport validate(PipelineSpec spec, List<String> files, LoadListener listener)
      throws IOException {
    Source source = Sources.open(spec.source());
    try (Target target = new io.bucketload.core.run.DryRunTarget()) {
      return new PipelineRunner(spec, source, target, listener, Clock.systemUTC()).run(files, true);
    }
  }
}
