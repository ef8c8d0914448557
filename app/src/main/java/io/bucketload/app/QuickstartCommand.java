package io.bucketload.app;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.SourceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bucketload quickstart [--dir DIR]}: creates a landing folder with sample files, loads them
 * into an embedded DuckDB file and shows the result.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Creates a landing folder with three sample CSV files, loads them into quickstart.duckdb, and"
            + " shows the report and a few loaded rows.")
final class QuickstartCommand implements Callable<Integer> {
  static final List<String> SAMPLES =
      List.of("customers.csv", "customers_update.csv", "orders_export.csv");

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "bucketload-quickstart",
      description = "Where to create the example. Default: ${DEFAULT-VALUE} in the current folder.")
  Path dir;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path landing = dir.resolve("landing");
    Files.createDirectories(landing);
    for (String sample : SAMPLES) {
      Path file = landing.resolve(sample);
      if (!Files.exists(file)) {
        copy("quickstart/" + sample, file);
        // Written whole, here and now: no need to wait for source.settle to see it unchanged.
        Files.setLastModifiedTime(
            file,
            java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(SourceSpec.DEFAULT_FOLDER_SETTLE)));
      }
    }
    Path pipelineFile = dir.resolve("quickstart.yaml");
    if (!Files.exists(pipelineFile)) {
      copy("quickstart/quickstart.yaml", pipelineFile);
    }
    out.println("bucketload quickstart in " + dir.toAbsolutePath().normalize());
    out.println("  pipeline: " + pipelineFile);
    out.println("  landing:  " + landing + " (" + String.join(", ", SAMPLES) + ")");
    out.println();
    out.flush();

    PipelineSpec spec = Pipelines.read(pipelineFile);
    RunReport report;
    try (Pipeline pipeline =
        Pipeline.open(spec, new ProgressDisplay(ProgressDisplay.Mode.AUTO, System.err))) {
      report = pipeline.run(List.of(), RunOptions.LOAD);
      ReportPrinter.print(report, out);
      Path database = spec.target().settings().path("path", "quickstart.duckdb");
      try {
        List<Map<String, Object>> rows = pipeline.target().sample(spec.target().table(), 5);
        out.println();
        out.println("A few rows of table " + spec.target().table() + " in " + database + ":");
        if (!rows.isEmpty()) {
          String[] header = rows.get(0).keySet().toArray(String[]::new);
          List<String[]> values = new java.util.ArrayList<>();
          for (Map<String, Object> row : rows) {
            values.add(
                row.values().stream()
                    .map(value -> value == null ? null : String.valueOf(value))
                    .toArray(String[]::new));
          }
          TextTable.lines(header, values).forEach(line -> out.println("  " + line));
        }
      } catch (TargetException e) {
        out.println("(no rows to show: " + e.getMessage() + ")");
      }
    }
    out.println();
    out.println("What happened:");
    out.println(
        "  customers.csv loaded; customers_update.csv loaded with its bad rows set aside in");
    out.println(
        "  landing/rejected/ (line, column, value, reason); orders_export.csv failed: it has no");
    out.println("  customer_id column, so nothing of it was loaded.");
    out.println();
    out.println("Try next:");
    String[][] next = {
      {
        "./bucketload run " + pipelineFile,
        "again: loaded files are skipped; orders_export.csv fails again (exit code 1)"
      },
      {"./bucketload runs " + pipelineFile, "the load history from the ledger"},
      {"./bucketload validate " + pipelineFile, "a dry run: checks files, loads nothing"},
      {"./bucketload query " + pipelineFile + " \"SELECT * FROM customers\"", "the loaded rows"},
      {"./bucketload infer " + landing.resolve("customers.csv") + " --key customer_id", ""},
      {"docs/pipeline.md", "every setting, with examples"}
    };
    int width = 0;
    for (String[] line : next) {
      if (!line[1].isEmpty()) {
        width = Math.max(width, line[0].length());
      }
    }
    for (String[] line : next) {
      out.println(
          "  "
              + (line[1].isEmpty()
                  ? line[0]
                  : line[0] + " ".repeat(width - line[0].length()) + "  # " + line[1]));
    }
    out.flush();
    // The sample without customer_id is meant to fail; only a system failure fails the quickstart.
    return report.worstFault().map(ExitCode::of).orElse(ExitCode.OK) == ExitCode.SYSTEM
        ? ExitCode.SYSTEM.code()
        : ExitCode.OK.code();
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = QuickstartCommand.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing resource " + resource + " in the bucketload jar");
      }
      Files.copy(in, target);
    }
  }
}
