package io.bucketload.spark;

import io.bucketload.core.error.BucketloadException;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.error.Fault;
import io.bucketload.core.run.Failures;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.FileStats;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.PipelineRunner;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.run.RunReportJson;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.FileStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
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
   * Spark setting: the size a part of a large file reaches before it ends at the next record's end
   * (default 16m, 64k to 256m); local files and S3 objects of two parts or more are cut.
   */
  static final String PART_BYTES = "spark.bucketload.part_bytes";

  /** The setting of how many parts of a file write to its stage at once, each on a connection. */
  static final String STAGE_WRITERS = "spark.bucketload.stage_writers";

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
    if (arguments.help()) {
      out.println(Arguments.USAGE);
      return 0;
    }
    PipelineText text;
    PipelineSpec spec;
    try {
      text = PipelineText.load(arguments.pipeline());
      spec = text.read();
      refuseUnsupported(spec);
    } catch (ConfigException e) {
      err.println("bucketload spark: " + e.getMessage());
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
      // Each file once, however often it was named.
      Map<String, SourceObject> files = new LinkedHashMap<>();
      objects.forEach(object -> files.putIfAbsent(object.key(), object));
      SparkConf conf = new SparkConf().setAppName("bucketload " + spec.name());
      arguments.master().ifPresent(conf::setMaster);
      // A speculative copy of a slow task would race the first for its file's claim.
      conf.set("spark.speculation", "false");
      FaultInjection faults;
      long partBytes;
      int stageWriters;
      try {
        faults = FaultInjection.parse(conf.get(FaultInjection.SETTING, ""));
        partBytes = partBytes(Optional.ofNullable(conf.get(PART_BYTES, null)));
        stageWriters = stageWriters(Optional.ofNullable(conf.get(STAGE_WRITERS, null)));
        if (SparkPartReading.partsInHeap(partBytes) < 3) {
          throw new IllegalArgumentException(
              PART_BYTES
                  + ": parts of "
                  + (partBytes >> 10)
                  + " KB need a driver heap of "
                  + (36 * partBytes >> 20)
                  + " MB or more (spark.driver.memory), or smaller parts");
        }
      } catch (IllegalArgumentException e) {
        err.println("bucketload spark: " + e.getMessage());
        return 2;
      }
      Optional<JavaSparkContext> context;
      try {
        context = files.isEmpty() ? Optional.empty() : Optional.of(new JavaSparkContext(conf));
      } catch (RuntimeException e) {
        err.println("bucketload spark: cannot start Spark: " + Failures.describe(e));
        return 3;
      }
      if (context.isPresent()) {
        try (JavaSparkContext spark = context.get()) {
          SparkRun run =
              new SparkRun(
                  spark,
                  pipeline,
                  text,
                  runId,
                  started,
                  options,
                  faults,
                  new SparkPartReading.Settings(partBytes, stageWriters));
          run.load(new ArrayList<>(files.values()))
              .forEach(
                  (key, loaded) ->
                      reports.put(
                          key, loaded.stream().map(report -> ownAttempt(report, runId)).toList()));
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
    } catch (IOException | RuntimeException e) {
      err.println("bucketload spark: the run failed: " + spec.mask(Failures.describe(e)));
      return 3;
    }
  }

  /**
   * The part size setting ({@value #PART_BYTES}): a size such as {@code 16m} (a number of bytes, or
   * of {@code k}, {@code m} or {@code g}), 64 KB to 256 MB; 16 MB when not set.
   *
   * @throws IllegalArgumentException naming the setting when it is out of range or not a size
   */
  static long partBytes(Optional<String> setting) {
    if (setting.isEmpty()) {
      return 16 << 20;
    }
    String value = setting.get().trim().toLowerCase(java.util.Locale.ROOT);
    java.util.regex.Matcher size =
        java.util.regex.Pattern.compile("(\\d{1,12})([kmg]?)b?").matcher(value);
    if (!size.matches()) {
      throw new IllegalArgumentException(
          PART_BYTES + ": expected a size such as 16m, found '" + setting.get() + "'");
    }
    int shift =
        switch (size.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          default -> 0;
        };
    long bytes = Long.parseLong(size.group(1)) << shift;
    if (bytes < (64 << 10) || bytes > (256L << 20)) {
      throw new IllegalArgumentException(
          PART_BYTES + ": expected 64k to 256m, found '" + setting.get() + "'");
    }
    return bytes;
  }

  /**
   * The setting of how many parts of one file write to its stage at once ({@value #STAGE_WRITERS}),
   * each on a connection of its own to the target: 1 to 1024; 16 when not set.
   *
   * @throws IllegalArgumentException naming the setting when it is out of range or not a number
   */
  static int stageWriters(Optional<String> setting) {
    if (setting.isEmpty()) {
      return 16;
    }
    String value = setting.get().trim();
    if (!value.matches("\\d{1,4}")
        || Integer.parseInt(value) < 1
        || Integer.parseInt(value) > 1024) {
      throw new IllegalArgumentException(
          STAGE_WRITERS + ": expected a number from 1 to 1024, found '" + setting.get() + "'");
    }
    return Integer.parseInt(value);
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
    if (!spec.exports().isEmpty()) {
      throw new ConfigException(
          file
              + ": exports are written once per run beside its files, which a Spark run, whose"
              + " files load apart, does not do yet; run it with `bucketload run`");
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

  /**
   * The command line: {@code PIPELINE [FILE...] [--report OUT.json] [--retry-failed] [--master M]},
   * or, as an AWS Glue job passes its parameters ({@code --JOB_NAME} among them), {@code --pipeline
   * P [--files A,B] [--report OUT.json] [--retry-failed true]} among Glue's own {@code --NAME
   * value} pairs, which are left alone.
   *
   * @param pipeline the pipeline file's path or {@code s3://} URI (empty only with {@code help})
   * @param files the files named, or empty for every matching file
   * @param report where the run's report goes, if anywhere
   * @param retryFailed whether files that failed on their data before are tried again
   * @param master the Spark master, unless spark-submit or the environment set it
   * @param help whether only the usage is asked for
   */
  record Arguments(
      String pipeline,
      List<String> files,
      Optional<Path> report,
      boolean retryFailed,
      Optional<String> master,
      boolean help) {
    static final String USAGE =
        "usage: bucketload spark PIPELINE.yaml [FILE...] [--report OUT.json] [--retry-failed]"
            + " [--master MASTER]\n"
            + "   or: spark-submit --class io.bucketload.spark.SparkLoad bucketload-spark.jar"
            + " PIPELINE.yaml [FILE...] [--report OUT.json] [--retry-failed]\n"
            + "Loads the pipeline's files (or those named) on Spark, each file version exactly once."
            + " PIPELINE.yaml may be an s3:// URI. Spark setting spark.bucketload.part_bytes"
            + " (default 16m): the size of the parts a large file (local, or an S3 object) is read in;"
            + " spark.bucketload.stage_writers (default 16): how many of its parts write to a"
            + " PostgreSQL stage at once, each on its own connection.";

    static Arguments parse(String[] args) {
      if (List.of(args).contains("--JOB_NAME")) {
        return glue(args);
      }
      String pipeline = "";
      List<String> files = new ArrayList<>();
      Optional<Path> report = Optional.empty();
      boolean retryFailed = false;
      Optional<String> master = Optional.empty();
      boolean help = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--help", "-h" -> help = true;
          case "--report" -> report = Optional.of(Path.of(value(args, ++i, arg)));
          case "--master" -> master = Optional.of(value(args, ++i, arg));
          case "--retry-failed" -> retryFailed = true;
          default -> {
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            if (pipeline.isEmpty()) {
              pipeline = arg;
            } else {
              files.add(arg);
            }
          }
        }
      }
      if (pipeline.isEmpty() && !help) {
        throw new IllegalArgumentException("the pipeline file is missing");
      }
      return new Arguments(pipeline, files, report, retryFailed, master, help);
    }

    /** An AWS Glue job's parameters: {@code --NAME value} pairs, bucketload's among Glue's. */
    private static Arguments glue(String[] args) {
      java.util.Map<String, String> named = new java.util.HashMap<>();
      for (int i = 0; i < args.length; i++) {
        if (args[i].startsWith("--") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
          named.put(args[i].substring(2), args[++i]);
        }
      }
      String pipeline = named.getOrDefault("pipeline", "");
      if (pipeline.isEmpty()) {
        throw new IllegalArgumentException(
            "the Glue job's parameter --pipeline (the pipeline file) is missing");
      }
      String files = named.getOrDefault("files", "").trim();
      return new Arguments(
          pipeline,
          files.isEmpty() ? List.of() : List.of(files.split("\\s*,\\s*")),
          Optional.ofNullable(named.get("report")).map(Path::of),
          Boolean.parseBoolean(named.getOrDefault("retry-failed", "false")),
          Optional.empty(),
          false);
    }

    private static String value(String[] args, int at, String option) {
      if (at >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[at];
    }
  }
}
