package io.bucketload.app;

import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.run.RunReportJson;
import io.bucketload.core.spec.PipelineSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bucketload run PIPELINE.yaml [FILE ...] [--force] [--report OUT.json]}. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Loads the named files, or every file under source.path matching source.match that is not yet"
          + " loaded.",
      "Exit codes: 0 all loaded or already loaded; 1 a file failed; 2 usage or configuration error;"
          + " 3 system failure; 4 another run holds the DuckDB file (try again); 130 interrupted (Ctrl-C, SIGTERM): nothing of the file in hand was"
          + " committed."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @Parameters(index = "1..*", paramLabel = "FILE", description = "Files to load (paths or keys).")
  List<String> files = List.of();

  @Option(
      names = "--report",
      paramLabel = "OUT.json",
      description = "Also write the report as JSON.")
  Path report;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "auto (a bar on a terminal), bar, log (a line per second), none. Default: ${DEFAULT-VALUE}.")
  String progress;

  @Option(
      names = "--retry-failed",
      description =
          "Try again the files whose last attempt failed on their data under this same pipeline"
              + " file (by default such a failure is final until the file or the pipeline"
              + " changes).")
  boolean retryFailed;

  @Option(
      names = "--force",
      description =
          "Load the named files whatever the ledger says: a file whose content is already its"
              + " latest load loads again under the pipeline's mode, one that failed on its data is"
              + " tried again. The report says the load was forced. Needs FILE names.")
  boolean force;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      description =
          "How long to wait while another bucketload run holds the DuckDB file (e.g. 10s, 2m, 0)."
              + " Default: the target's wait setting, else 60s. Then exit code 4.")
  String waitFor;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (force && files.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--force reloads the files it is given: name them, e.g. bucketload run "
              + pipeline
              + " landing/stock.csv --force");
    }
    PipelineSpec pipelineSpec = Pipelines.withWait(Pipelines.read(pipeline), waitFor);
    InterruptedRun interrupt =
        new InterruptedRun(
            new ProgressDisplay(mode(progress, spec), System.err), spec.commandLine().getErr());
    RunReport result;
    RunOptions options = new RunOptions(false, retryFailed, force);
    try (Pipeline loads = opened(pipelineSpec, interrupt, options)) {
      interrupt.target(loads.target());
      result = loads.run(files, options);
    } finally {
      interrupt.finished();
    }
    ReportPrinter.print(result, spec.commandLine().getOut());
    writeJson(result, report);
    return ExitCode.of(result).code();
  }

  /**
   * Opens the pipeline; when its target cannot be reached, its channels hear of the failed run
   * before the command exits.
   */
  private static Pipeline opened(PipelineSpec spec, InterruptedRun interrupt, RunOptions options) {
    try {
      return Pipeline.open(spec, interrupt);
    } catch (RuntimeException e) {
      Pipeline.announceUnopened(spec, options, e);
      throw e;
    }
  }

  static ProgressDisplay.Mode mode(String text, picocli.CommandLine.Model.CommandSpec spec) {
    try {
      return ProgressDisplay.Mode.valueOf(text.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--progress: expected auto, bar, log or none, found '" + text + "'");
    }
  }

  static void writeJson(RunReport result, Path report) throws IOException {
    if (report == null) {
      return;
    }
    Path parent = report.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(report)) {
      RunReportJson.write(result, out);
    }
  }
}
