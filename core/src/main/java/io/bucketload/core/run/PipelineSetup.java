package io.bucketload.core.run;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.TargetFactory;
import io.bucketload.core.target.Targets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a pipeline file and checks it in full without connecting to anything, then opens its
 * target: what every entry point (command line, service, Lambda) does first. Messages are masked.
 */
public final class PipelineSetup {
  private PipelineSetup() {}

  /**
   * Reads and fully checks a pipeline file: its keys, its target's and source's settings, and that
   * a local source folder exists.
   *
   * @throws ConfigException naming what is wrong
   */
  public static PipelineSpec read(Path file) {
    return check(new PipelineSpecReader().read(file));
  }

  /**
   * Reads and checks a pipeline for a command that notifies no one ({@code runs}, {@code query}):
   * as {@link #read}, except that the variables of its {@code notify} section need not be set (a
   * webhook's secret URL, say) and its channels are left out.
   *
   * @throws ConfigException naming what is wrong elsewhere
   */
  public static PipelineSpec readWithoutNotifying(Path file) {
    return check(
        new PipelineSpecReader().withNotifyVariablesOptional().read(file).withoutChannels());
  }

  /**
   * Checks a pipeline read elsewhere (e.g. with its own environment) in full, as {@link #read}
   * does, without connecting.
   *
   * @throws ConfigException naming what is wrong
   */
  public static PipelineSpec check(PipelineSpec spec) {
    try {
      return checked(spec);
    } catch (ConfigException e) {
      String masked = spec.mask(e.getMessage());
      throw masked.equals(e.getMessage()) ? e : new ConfigException(masked);
    }
  }

  private static PipelineSpec checked(PipelineSpec spec) {
    io.bucketload.core.notify.Notifiers.check(spec);
    TargetFactory factory = Targets.factoryFor(spec);
    factory.check(spec.target(), spec.modes());
    String fileName = String.valueOf(spec.file().getFileName());
    if (spec.runsSql() && !factory.runsSql()) {
      throw new ConfigException(
          fileName
              + ": after_load and exports run SQL, which target type "
              + spec.target().type()
              + " does not; use a SQL target (duckdb, postgres)");
    }
    io.bucketload.core.workspace.Workspaces.check(spec);
    try {
      // Opening checks the settings; nothing is read.
      Sources.open(spec.source()).close();
      Sources.outputs(spec.source()).close();
    } catch (ConfigException e) {
      // A setting's error names the file and line already.
      throw String.valueOf(e.getMessage()).startsWith(fileName + " ")
          ? e
          : new ConfigException(fileName + ": " + e.getMessage(), e);
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
   * Opens the pipeline's target.
   *
   * @throws ConfigException naming a bad setting
   * @throws TargetException when the target cannot be reached
   */
  public static Target openTarget(PipelineSpec spec) {
    TargetFactory factory = Targets.factoryFor(spec);
    try {
      return factory.open(spec.target().settings());
    } catch (TargetException e) {
      String masked = spec.mask(e.getMessage());
      throw masked.equals(e.getMessage()) ? e : e.withMessage(masked);
    }
  }
}
