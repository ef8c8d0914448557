package io.bucketload.spark;

import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.run.Failures;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.FileStats;
import io.bucketload.core.run.PartReading;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.source.FileBytes;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.InputSpec;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadMode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's files on Spark, from the driver: files of one task each (a Spark job), then the large
 * files the driver loads with their parts read on the executors. Files of a {@code replace} or
 * {@code sync} pipeline, each of which makes the table its own, load one after the other in the
 * order given, as {@code bucketload run} loads them. Not thread-safe.
 */
final class SparkRun {
  private static final Logger LOG = LoggerFactory.getLogger(SparkRun.class);

  /** How long a failed job's tasks are given to stop before the ledger is read. */
  private static final long DRAIN_MILLIS = TimeUnit.MINUTES.toMillis(5);

  private final JavaSparkContext spark;
  private final Pipeline pipeline;
  private final PipelineSpec spec;
  private final PipelineText text;
  private final String runId;
  private final Instant started;
  private final RunOptions options;
  private final FaultInjection faults;
  private final long partBytes;
  private final PartReading parts;
  private final RunningTasks tasks = new RunningTasks();
  private int jobs;

  /** Whether a job's tasks could not be seen to stop: the files after it wait for the next run. */
  private boolean stopped;

  /**
   * @param pipeline the driver's pipeline (its source, target and ledger)
   * @param text the pipeline file, for the executors
   * @param parts how large files are cut and their parts written
   */
  SparkRun(
      JavaSparkContext spark,
      Pipeline pipeline,
      PipelineText text,
      String runId,
      Instant started,
      RunOptions options,
      FaultInjection faults,
      SparkPartReading.Settings parts) {
    this.spark = spark;
    this.pipeline = pipeline;
    this.spec = pipeline.spec();
    this.text = text;
    this.runId = runId;
    this.started = started;
    this.options = options;
    this.faults = faults;
    this.partBytes = parts.partBytes();
    this.parts = new SparkPartReading(spark, text, parts, faults);
    spark.sc().addSparkListener(tasks);
  }

  /** Loads {@code files} (each once, in the order given); returns their reports by key. */
  Map<String, List<FileReport>> load(List<SourceObject> files) {
    Map<String, List<FileReport>> reports = new LinkedHashMap<>();
    files.forEach(file -> reports.put(file.key(), List.of()));
    LoadMode mode = spec.inputs().get(0).mode();
    if (mode == LoadMode.REPLACE || mode == LoadMode.SYNC) {
      for (SourceObject file : files) {
        if (stopped) {
          reports.put(file.key(), List.of(notAttempted(file)));
        } else if (cuttable(file, true)) {
          reports.put(file.key(), onDriver(file));
        } else {
          reports.putAll(byTasks(List.of(file)));
        }
      }
      return reports;
    }
    // Large objects of a remote store are cut only when there are fewer of them than Spark runs
    // tasks at once: else one task per object keeps every executor busy, and its writes parallel.
    long largeRemote =
        files.stream()
            .filter(file -> pipeline.source().localFile(file).isEmpty())
            .filter(file -> file.size() < 0 || file.size() >= 2 * partBytes)
            .count();
    boolean cutRemote = largeRemote < spark.defaultParallelism();
    List<SourceObject> whole = new ArrayList<>();
    List<SourceObject> cut = new ArrayList<>();
    for (SourceObject file : files) {
      (cuttable(file, cutRemote) ? cut : whole).add(file);
    }
    reports.putAll(byTasks(whole));
    for (SourceObject file : cut) {
      reports.put(file.key(), stopped ? List.of(notAttempted(file)) : onDriver(file));
    }
    return reports;
  }

  /** A file left for the next run because an earlier job's tasks could not be seen to stop. */
  private FileReport notAttempted(SourceObject file) {
    return failed(
        file.key(),
        new FileOutcome.FailedOnSystem(
            file.key()
                + ": not loaded: the tasks of a failed Spark job did not stop within 5 minutes,"
                + " and a file loaded after theirs could be overwritten by them; the next run"
                + " loads it"));
  }

  /**
   * Whether the driver loads {@code file} with its parts read on the executors: a file of two parts
   * or more that can be cut safely (see {@link RecordSplitter}), local (on a shared file system, on
   * a cluster) or an object whose ranges the source reads (S3), when {@code remote}. A file that
   * cannot be looked at is left to a task, which reports why.
   */
  private boolean cuttable(SourceObject file, boolean remote) {
    InputSpec input = spec.inputs().get(0);
    if ((file.size() >= 0 && file.size() < 2 * partBytes)
        || !RecordSplitter.splittable(input.format())
        || (!remote && pipeline.source().localFile(file).isEmpty())) {
      return false; // no request needed to know
    }
    try {
      Optional<FileBytes> bytes = pipeline.source().bytes(file, "");
      if (bytes.isEmpty()) {
        return false;
      }
      Optional<RecordSplitter> splitter =
          RecordSplitter.open(
              bytes.get(),
              input.format(),
              partBytes,
              !input.format().header() && !input.schema().declaresColumns());
      if (splitter.isEmpty()) {
        return false;
      }
      splitter.get().close();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The name that finds {@code file} in the source wherever it is resolved. */
  private String nameOf(SourceObject file) {
    return pipeline.source().localFile(file).map(Path::toString).orElse(file.key());
  }

  /** Loads a large file on the driver, its parts read on the executors. */
  private List<FileReport> onDriver(SourceObject file) {
    try {
      return pipeline.load(List.of(nameOf(file)), options, runId, started, parts).files();
    } catch (IOException | RuntimeException e) {
      return List.of(failed(file.key(), Failures.outcome(e, file.key(), spec)));
    }
  }

  /**
   * Loads {@code files} one task each, in one Spark job. When the job fails as a whole (a task
   * failed more often than Spark tries it), its tasks are stopped and the ledger tells what became
   * of each file.
   */
  private Map<String, List<FileReport>> byTasks(List<SourceObject> files) {
    Map<String, List<FileReport>> reports = new LinkedHashMap<>();
    if (files.isEmpty()) {
      return reports;
    }
    String group = runId + "-" + ++jobs;
    spark.setJobGroup(group, "bucketload " + spec.name() + ": " + files.size() + " file(s)", true);
    JavaFutureAction<List<byte[]>> job =
        spark
            .parallelize(files.stream().map(this::taskFile).toList(), files.size())
            .mapPartitions(new LoadFiles(text, runId, started, options.retryFailed(), faults))
            .collectAsync();
    String reason;
    try {
      for (byte[] bytes : job.get()) {
        FileReport report = JavaBytes.read(bytes, TransferredReport.class).toReport();
        reports.computeIfAbsent(report.file(), key -> new ArrayList<>()).add(report);
      }
      return reports;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = "the run was interrupted";
    } catch (ExecutionException e) {
      String cause = Failures.describe(e.getCause());
      reason = spec.mask(cause.lines().findFirst().orElse(cause));
    } finally {
      spark.clearJobGroup();
    }
    spark.cancelJobGroup(group);
    if (!tasks.awaitIdle(java.util.Set.copyOf(job.jobIds()), DRAIN_MILLIS)) {
      LOG.warn("[{}] tasks of a failed Spark job still run after 5 minutes", spec.name());
      stopped = true;
    }
    for (SourceObject file : files) {
      reports.put(file.key(), List.of(fromLedger(file, reason)));
    }
    return reports;
  }

  private LoadFiles.TaskFile taskFile(SourceObject file) {
    return new LoadFiles.TaskFile(file.key(), nameOf(file));
  }

  /**
   * What the ledger holds for a file whose task failed: its load by this run (whose task died, or
   * whose job failed, after the commit), its load by an earlier run, its data failure, or nothing
   * (a system failure: the next run loads it).
   */
  private FileReport fromLedger(SourceObject file, String reason) {
    try {
      FileVersion identified = pipeline.source().identify(file);
      Optional<String> version = Optional.of(identified.checksum());
      Optional<LedgerEntry> recorded =
          pipeline.target().ledger().lookup(spec.name(), identified).finalOutcome();
      if (recorded.isPresent() && recorded.get().loaded() && recorded.get().runId().equals(runId)) {
        LedgerEntry entry = recorded.get();
        return new FileReport(
            file.key(),
            version,
            new FileOutcome.Loaded(entry.counts(), List.of()),
            new FileStats(entry.rowsRead(), entry.rowsRejected(), 0, 0, Optional.empty()),
            List.of(
                "its Spark job failed ("
                    + reason
                    + ") after this file committed: the counts are the ledger's; its reject"
                    + " reasons and warnings went with the task"));
      }
      FileOutcome outcome;
      if (recorded.isPresent() && recorded.get().loaded()) {
        outcome = new FileOutcome.Skipped(recorded.get());
      } else if (recorded.isPresent()) {
        LedgerEntry failure = recorded.get();
        outcome =
            new FileOutcome.FailedOnData(
                failure.error().orElse(file.key() + ": failed on its data"),
                failure.runId().equals(runId) ? Optional.empty() : Optional.of(failure));
      } else {
        outcome =
            new FileOutcome.FailedOnSystem(
                file.key() + ": its Spark task failed (" + reason + "); nothing was loaded");
      }
      return new FileReport(file.key(), version, outcome, FileStats.none(0), List.of());
    } catch (IOException | RuntimeException e) {
      return failed(
          file.key(),
          new FileOutcome.FailedOnSystem(
              file.key()
                  + ": its Spark task failed ("
                  + reason
                  + ") and the ledger could not be read ("
                  + spec.mask(Failures.describe(e))
                  + "); the next run loads the file or skips it"));
    }
  }

  private static FileReport failed(String key, FileOutcome outcome) {
    return new FileReport(key, Optional.empty(), outcome, FileStats.none(0), List.of());
  }
}
