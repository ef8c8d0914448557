package io.bucketload.app;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.Settings;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.Targets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What the commands share: read and check a pipeline file, open it, run it. */
final class Pipelines {
  private Pipelines() {}

  /** Reads and fully checks a pipeline file, without connecting to anything. */
  static PipelineSpec read(Path file) {
    return masked(PipelineSetup.read(file));
  }

  /**
   * Reads and checks a pipeline for a command that only looks at what it loaded: the variables of
   * its {@code notify} section need not be set.
   */
  static PipelineSpec readWithoutNotifying(Path file) {
    return masked(PipelineSetup.readWithoutNotifying(file));
  }

  /** The pipeline, whose values from the environment are masked in the log from now on. */
  private static PipelineSpec masked(PipelineSpec spec) {
    MaskingEncoder.add(spec);
    return spec;
  }

  /**
   * Whether the target may hold a ledger: false only for an embedded database file that does not
   * exist yet, which reading the history must not create.
   */
  static boolean targetExists(PipelineSpec spec) {
    return Targets.factoryFor(spec).exists(spec.target().settings());
  }

  /**
   * The pipeline with the command line's {@code --wait} applied: how long opening a DuckDB file
   * waits for another run that holds it. Other targets do not wait for one another this way.
   */
  static PipelineSpec withWait(PipelineSpec spec, String wait) {
    if (wait == null || !spec.target().type().equals("duckdb")) {
      return spec;
    }
    if (Settings.parseDuration(wait).isEmpty()) {
      throw new ConfigException(
          "--wait: '" + wait + "' is not a duration; write e.g. 500ms, 5s, 2m, 1h or 0");
    }
    return spec.withTargetSetting("wait", wait);
  }

  /** Opens the pipeline's target. */
  static Target openTarget(PipelineSpec spec) {
    return PipelineSetup.openTarget(spec);
  }

  /** Loads the named files (or every matching one) into the pipeline's target. */
  static RunReport run(
      PipelineSpec spec, List<String> files, RunOptions options, LoadListener listener)
      throws IOException {
    try (Pipeline pipeline =
        options.dryRun() ? Pipeline.dryRun(spec, listener) : Pipeline.open(spec, listener)) {
      return pipeline.run(files, options);
    }
  }
}
