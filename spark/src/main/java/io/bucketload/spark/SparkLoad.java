package io.bucketload.spark;

import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.error.BucketloadException;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.error.Fault;
import io.bucketload.core.run.Failures;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.FileStats;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.PartReading;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.PipelineRunner;
import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.run.RunReportJson;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.InputSpec;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.FileStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The driver of a bucketload run on Spark: {@code spark-submit --class
 * io.bucketload.spark.SparkLoad bucketload-spark.jar PIPELINE.yaml [FILE...] [--report OUT.json]
 * [--retry-failed]}.
 *
 * <p>It reads and checks the pipeline as {@code bucketload run} does, lists the files (or takes
 * those named), and makes each file one Spark task; each task runs bucketload's own engine for its
 * file against the pipeline's target, under the driver's run id. The guarantees are the engine's,
 * per file: the version is looked up and claimed in the target's ledger, its rows and its ledger
 * entry commit together (PostgreSQL) or after the whole file validated (DynamoDB), so a task Spark
 * runs again finds the file loaded, or loads it whole. The driver gathers the reports in file order
 * into one run report (the same JSON as {@code bucketload run --report}), tells the notifiers once,
 * and exits as {@code bucketload run} does: 0 when every file loaded or was loaded before, 1 when a
 * file failed on its data, 2 on a configuration error, 3 on a system failure.
 */
public final class SparkLoad {
  /**
   * Spark setting: the size a part of a large local file reaches before it ends at the next
   * record's end (default 64m); files of two parts or more are cut.
   */
  static final String PART_BYTES = "spark.bucketload.part_bytes";

  /** The trigger named in reports and notifications of runs on Spark. */
  static final String TRIGGER = "spark";

  private SparkLoad() {}

  /**
   * Runs the pipeline and exits with the run's code.
   *
   * @param args {@code PIPELINE.yaml [FILE...] [--report OUT.json] [--retry-failed] [--master M]}
   */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the pipeline; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("bucketload spark: " + e.getMessage());
      err.println(Arguments.USAGE);
      return 2;
    }
    PipelineSpec spec;
    String pipelineText;
    try {
      spec = PipelineSetup.read(arguments.pipeline());
      refuseUnsupported(spec);
      pipelineText = Files.readString(arguments.pipeline(), StandardCharsets.UTF_8);
    } catch (ConfigException e) {
      err.println("bucketload spark: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("bucketload spark: cannot read " + arguments.pipeline() + ": " + e.getMessage());
      return 2;
    }
    RunOptions options = new RunOptions(false, arguments.retryFailed(), false, TRIGGER);
    try (Pipeline pipeline = Pipeline.open(spec, LoadListener.NONE)) {
      Instant started = Instant.now();
      long startNanos = System.nanoTime();
      String runId = PipelineRunner.runId(started);
      Map<String, List<FileReport>> reports = new LinkedHashMap<>();
      List<SourceObject> objects = new ArrayList<>();
      try {
        if (arguments.files().isEmpty()) {
          objects.addAll(pipeline.matching());
        } else {
          for (String name : arguments.files()) {
            try {
              objects.add(pipeline.source().resolve(name));
            } catch (NoSuchFileException e) {
              reports.put(name, List.of(refused(name, name + ": no such file")));
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        pipeline.announceFailure(options, e);
        err.println(
            "bucketload spark: cannot list "
                + pipeline.source().describe()
                + ": "
                + spec.mask(Failures.describe(e)));
        return 3;
      }
      objects.forEach(object -> reports.put(object.key(), List.of()));
      SparkConf conf = new SparkConf().setAppName("bucketload " + spec.name());
      arguments.master().ifPresent(conf::setMaster);
      FaultInjection faults;
      long partBytes;
      try {
        faults = FaultInjection.parse(conf.get(FaultInjection.SETTING, ""));
        partBytes = conf.getSizeAsBytes(PART_BYTES, "64m");
      } catch (IllegalArgumentException e) {
        err.println("bucketload spark: " + e.getMessage());
        return 2;
      }
      if (!objects.isEmpty()) {
        PipelineText text =
            new PipelineText(
                pipelineText,
                arguments.pipeline().toAbsolutePath().toString(),
                spec.file().toAbsolutePath().getParent().toString());
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
          List<SourceObject> cut = new ArrayList<>();
          List<String> whole = new ArrayList<>();
          for (SourceObject object : objects) {
            if (cuttable(pipeline, spec, object, partBytes)) {
              cut.add(object);
            } else {
              whole.add(object.key());
            }
          }
          // The files of one task each run while the driver loads the large files, their parts
          // read on the executors.
          Optional<JavaFutureAction<List<TransferredReport>>> tasks =
              whole.isEmpty()
                  ? Optional.empty()
                  : Optional.of(
                      spark
                          .parallelize(whole, whole.size())
                          .mapPartitions(
                              new LoadFiles(text, runId, started, arguments.retryFailed(), faults))
                          .collectAsync());
          PartReading parts =
              new SparkPartReading(
                  spark, text, partBytes, Math.max(2, spark.defaultParallelism()), faults);
          for (SourceObject object : cut) {
            reports.put(
                object.key(),
                pipeline.load(List.of(object.key()), options, runId, started, parts).files());
          }
          if (tasks.isPresent()) {
            for (TransferredReport report : tasks.get().get()) {
              reports.put(report.file(), List.of(ownAttempt(report.toReport(), runId)));
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          err.println("bucketload spark: interrupted");
          return 3;
        } catch (ExecutionException e) {
          err.println("bucketload spark: the Spark job failed: " + Failures.describe(e.getCause()));
          return 3;
        }
      }
      List<String> notes =
          objects.isEmpty() && arguments.files().isEmpty()
              ? List.of(
                  "no file matches the pipeline's inputs under " + pipeline.source().describe())
              : List.of();
      RunReport report =
          pipeline.announce(
              new RunReport(
                  spec.name(),
                  runId,
                  started,
                  reports.values().stream().flatMap(List::stream).toList(),
                  (System.nanoTime() - startNanos) / 1_000_000,
                  notes,
                  TRIGGER));
      if (arguments.report().isPresent()) {
        try (OutputStream json = Files.newOutputStream(arguments.report().get())) {
          RunReportJson.write(report, json);
        }
      }
      print(report, out);
      return report.worstFault().map(SparkLoad::code).orElse(0);
    } catch (BucketloadException e) {
      err.println("bucketload spark: " + spec.mask(e.getMessage()));
      return code(e.fault());
    } catch (IOException e) {
      err.println("bucketload spark: " + spec.mask(Failures.describe(e)));
      return 3;
    }
  }

  /**
   * Whether the driver loads {@code object} with its parts read on the executors: a local file (on
   * a shared file system, on a cluster) of two parts or more that can be cut safely (see {@link
   * RecordSplitter}). Other files are one task each.
   */
  private static boolean cuttable(
      Pipeline pipeline, PipelineSpec spec, SourceObject object, long partBytes)
      throws IOException {
    Optional<Path> local = pipeline.source().localFile(object);
    if (local.isEmpty()) {
      return false;
    }
    InputSpec input = spec.inputs().get(0);
    Optional<RecordSplitter> splitter =
        RecordSplitter.open(
            local.get(),
            input.format(),
            partBytes,
            !input.format().header() && !input.schema().declaresColumns());
    if (splitter.isEmpty()) {
      return false;
    }
    splitter.get().close();
    return true;
  }

  /** What a Spark run cannot do, refused before anything is attempted. */
  static void refuseUnsupported(PipelineSpec spec) {
    String file = String.valueOf(spec.file().getFileName());
    if (spec.target().type().equals("duckdb")) {
      throw new ConfigException(
          file
              + ": target type duckdb is a file with one writer, which Spark's many tasks cannot"
              + " share; run it with `bucketload run`, or load into postgres or dynamodb on Spark");
    }
    if (spec.fileSet()) {
      throw new ConfigException(
          file
              + ": a pipeline with several inputs loads each file set as one unit, which a Spark"
              + " run does not do yet; run it with `bucketload run`");
    }
    if (spec.query().isPresent()) {
      throw new ConfigException(
          file
              + ": a sql step works in an embedded DuckDB, which bucketload-spark.jar does not"
              + " carry; run it with `bucketload run`");
    }
  }

  /**
   * A file a task's earlier attempt committed before the task died is found loaded by the retry,
   * under this run's id: it was loaded by this run, and is reported so, with the ledger's counts.
   */
  static FileReport ownAttempt(FileReport report, String runId) {
    if (!(report.outcome() instanceof FileOutcome.Skipped skipped)
        || !skipped.earlier().runId().equals(runId)) {
      return report;
    }
    List<String> warnings = new ArrayList<>(report.warnings());
    warnings.add(
        "loaded by an earlier attempt of its Spark task, which stopped after committing; the counts"
            + " are the ledger's, and that attempt's warnings and reject reasons went with it");
    return new FileReport(
        report.file(),
        report.version(),
        new FileOutcome.Loaded(skipped.earlier().counts(), List.of()),
        new FileStats(
            skipped.earlier().rowsRead(),
            skipped.earlier().rowsRejected(),
            report.stats().bytes(),
            report.stats().durationMs(),
            Optional.empty()),
        warnings);
  }

  private static FileReport refused(String name, String reason) {
    return new FileReport(
        name, Optional.empty(), new FileOutcome.Refused(reason), FileStats.none(0), List.of());
  }

  private static int code(Fault fault) {
    return switch (fault) {
      case CONFIG -> 2;
      case DATA -> 1;
      case SYSTEM -> 3;
    };
  }

  private static void print(RunReport report, PrintStream out) {
    for (FileReport file : report.files()) {
      StringBuilder line =
          new StringBuilder(file.file()).append(": ").append(file.status().reportName());
      if (file.status() == FileStatus.LOADED) {
        line.append(", ").append(file.rowsLoaded()).append(" rows loaded");
      }
      if (file.rowsRejected() > 0) {
        line.append(", ").append(file.rowsRejected()).append(" rejected");
      }
      file.error().or(file::note).ifPresent(reason -> line.append(" (").append(reason).append(')'));
      out.println(line);
    }
    out.printf(
        "run %s: %d loaded, %d skipped, %d failed, %d waiting in %.1f s%n",
        report.runId(),
        report.count(FileStatus.LOADED),
        report.count(FileStatus.SKIPPED),
        report.count(FileStatus.FAILED),
        report.count(FileStatus.WAITING),
        report.durationMs() / 1000.0);
  }

  /** The command line. */
  record Arguments(
      Path pipeline,
      List<String> files,
      Optional<Path> report,
      boolean retryFailed,
      Optional<String> master) {
    static final String USAGE =
        "usage: SparkLoad PIPELINE.yaml [FILE...] [--report OUT.json] [--retry-failed]"
            + " [--master MASTER]";

    static Arguments parse(String[] args) {
      Path pipeline = null;
      List<String> files = new ArrayList<>();
      Optional<Path> report = Optional.empty();
      boolean retryFailed = false;
      Optional<String> master = Optional.empty();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--report" -> report = Optional.of(Path.of(value(args, ++i, arg)));
          case "--master" -> master = Optional.of(value(args, ++i, arg));
          case "--retry-failed" -> retryFailed = true;
          default -> {
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            if (pipeline == null) {
              pipeline = Path.of(arg);
            } else {
              files.add(arg);
            }
          }
        }
      }
      if (pipeline == null) {
        throw new IllegalArgumentException("the pipeline file is missing");
      }
      return new Arguments(pipeline, files, report, retryFailed, master);
    }

    private static String value(String[] args, int at, String option) {
      if (at >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[at];
    }
  }
}
