package io.bucketload.app;

import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bucketload validate PIPELINE.yaml [FILE ...]}: a dry run. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Checks the pipeline and the files, and writes their rejects; loads nothing, records nothing.",
      "Exit codes: 0 every file would load; 1 a file would fail; 2 configuration error; 3 system failure."
    })
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @Parameters(
      index = "1..*",
      paramLabel = "FILE",
      description = "Files to check (default: every matching file).")
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
      description = "auto, bar, log, none.")
  String progress;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PipelineSpec pipelineSpec = Pipelines.read(pipeline);
    RunReport result =
        Pipelines.run(
            pipelineSpec,
            files,
            RunOptions.DRY_RUN,
            new ProgressDisplay(RunCommand.mode(progress, spec), System.err));
    ReportPrinter.print(result, spec.commandLine().getOut());
    RunCommand.writeJson(result, report);
    return ExitCode.of(result).code();
  }
}
