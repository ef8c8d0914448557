package io.bucketload.spark;

import io.bucketload.core.run.Failures;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.FileStats;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.PartReading;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.PipelineSpec;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * One Spark task's work: loads its files (one per task, as the driver partitions them) with
 * bucketload's own engine, each as part of the driver's run, and hands their reports back. The
 * pipeline is read again on the executor from its text, with the executor's environment for its
 * {@code ${VARIABLES}}. Notifications are left to the driver, which tells of the whole run once.
 */
final class LoadFiles implements FlatMapFunction<Iterator<LoadFiles.TaskFile>, byte[]> {
  private static final long serialVersionUID = 1L;

  /**
   * A file for a task: its key, for reports, and the name that finds it in the source (a local
   * file's absolute path, so that an executor's working directory never stands in for the source
   * folder; an object's key).
   */
  record TaskFile(String key, String name) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final PipelineText pipeline;
  private final String runId;
  private final Instant started;
  private final boolean retryFailed;
  private final FaultInjection faults;

  /**
   * @param pipeline the pipeline file as the driver read it
   * @param runId the driver's run
   * @param started when the driver's run started
   * @param retryFailed whether files that failed on their data before are tried again
   * @param faults where the first attempt of each task dies, as a lost executor would, to check
   *     retries ({@link FaultInjection#NONE} outside such tests)
   */
  LoadFiles(
      PipelineText pipeline,
      String runId,
      Instant started,
      boolean retryFailed,
      FaultInjection faults) {
    this.pipeline = pipeline;
    this.runId = runId;
    this.started = started;
    this.retryFailed = retryFailed;
    this.faults = faults;
  }

  @Override
  public Iterator<byte[]> call(Iterator<TaskFile> names) {
    List<TaskFile> files = new ArrayList<>();
    names.forEachRemaining(files::add);
    List<byte[]> reports = new ArrayList<>();
    PipelineSpec spec;
    try {
      spec = pipeline.read();
    } catch (RuntimeException e) {
      // Masked as it was read: the pipeline's secrets are never in its messages.
      return failed(files, "the Spark task could not read the pipeline: " + Failures.describe(e));
    }
    Pipeline loads;
    try {
      loads = Pipeline.open(spec, listener(), false, List.of(), Clock.systemUTC());
    } catch (RuntimeException e) {
      // The executor cannot reach the target: each file fails on the system, for a later run.
      return failed(
          files, spec.mask("the Spark task could not open the pipeline: " + Failures.describe(e)));
    }
    try (loads) {
      RunOptions options = new RunOptions(false, retryFailed, false, SparkLoad.TRIGGER);
      for (TaskFile file : files) {
        List<FileReport> loaded;
        try {
          loaded =
              loads
                  .load(
                      List.of(file.name()),
                      options,
                      runId,
                      started,
                      PartReading.threads(spec.source().readThreads()))
                  .files();
        } catch (IOException | RuntimeException e) {
          loaded =
              List.of(
                  new FileReport(
                      file.key(),
                      Optional.empty(),
                      Failures.outcome(e, file.key(), spec),
                      FileStats.none(0),
                      List.of()));
        }
        for (FileReport report : loaded) {
          // Named by the key the driver knows it by, also when the engine told of the name it was
          // given (e.g. no such file on this executor).
          FileReport keyed =
              report.file().equals(file.name())
                  ? new FileReport(
                      file.key(),
                      report.version(),
                      report.outcome(),
                      report.stats(),
                      report.warnings())
                  : report;
          reports.add(JavaBytes.of(TransferredReport.of(keyed)));
        }
      }
    }
    return reports.iterator();
  }

  /** Every file failed on the system, for {@code reason}. */
  private static Iterator<byte[]> failed(List<TaskFile> files, String reason) {
    List<byte[]> reports = new ArrayList<>();
    for (TaskFile file : files) {
      reports.add(
          JavaBytes.of(
              TransferredReport.of(
                  new FileReport(
                      file.key(),
                      Optional.empty(),
                      new FileOutcome.FailedOnSystem(reason),
                      FileStats.none(0),
                      List.of()))));
    }
    return reports.iterator();
  }

  private LoadListener listener() {
    TaskContext task = TaskContext.get();
    if (faults.equals(FaultInjection.NONE) || task == null || task.attemptNumber() > 0) {
      return LoadListener.NONE;
    }
    return new LoadListener() {
      /** Rows read over the file's readings so far (DynamoDB reads a file twice). */
      private long before;

      private long last;

      @Override
      public void fileStarted(SourceObject object) {
        before = 0;
        last = 0;
      }

      @Override
      public void progress(SourceObject object, long rowsRead, long bytesRead) {
        if (rowsRead < last) {
          before += last;
        }
        last = rowsRead;
        long total = before + rowsRead;
        if (faults.afterRows() > 0 && total >= faults.afterRows()) {
          throw new InjectedTaskFailure(
              object.key() + ": task attempt 0 stopped after " + total + " rows");
        }
      }

      @Override
      public void fileFinished(FileReport report) {
        if (faults.afterCommit()) {
          throw new InjectedTaskFailure(
              report.file()
                  + ": task attempt 0 stopped after the file was "
                  + report.status().reportName());
        }
      }
    };
  }

  /**
   * The death of a task mid-file, injected to check that Spark's retry of it loads exactly once. An
   * {@link Error}, so that it passes the engine's handling of failures as a lost executor does.
   */
  static final class InjectedTaskFailure extends Error {
    private static final long serialVersionUID = 1L;

    InjectedTaskFailure(String message) {
      super(message);
    }
  }
}
