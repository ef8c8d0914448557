package io.bucketload.app;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.PipelineRunner;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.TargetFactory;
import io.bucketload.core.target.Targets;
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
    PipelineSpec spec = new PipelineSpecReader().read(file);
    try {
      return checked(spec);
    } catch (ConfigException e) {
      String masked = spec.mask(e.getMessage());
      throw masked.equals(e.getMessage()) ? e : new ConfigException(masked);
    }
  }

  private static PipelineSpec checked(PipelineSpec spec) {
    TargetFactory factory = Targets.factoryFor(spec);
    factory.check(spec.target().settings());
    String fileName = String.valueOf(spec.file().getFileName());
    if (spec.runsSql() && !factory.runsSql()) {
      throw new ConfigException(
          fileName
              + ": after_load and exports run SQL, which target type "
              + spec.target().type()
              + " does not; use a SQL target (duckdb, postgres)");
    }
    try {
      Sources.open(spec.source());
    } catch (ConfigException e) {
      throw new ConfigException(fileName + ": " + e.getMessage(), e);
    }
    boolean local = spec.source().scheme().isEmpty() || spec.source().scheme().equals("file");
    if (local && !Files.isDirectory(spec.source().localFolder())) {
      throw new ConfigException(
          fileName
              + ": source.path: no such folder: "
              + spec.source().localFolder()
              + " (relative paths are relative to the pipeline file's folder)");
    }
    return spec;
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
    TargetFactory factory = Targets.factoryFor(spec);
    try {
      return factory.open(spec.target().settings());
    } catch (io.bucketload.core.error.TargetException e) {
      String masked = spec.mask(e.getMessage());
      throw masked.equals(e.getMessage()) ? e : e.withMessage(masked);
    }
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
