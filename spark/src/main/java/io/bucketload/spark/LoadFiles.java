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
final class LoadFiles implements FlatMapFunction<Iterator<String>, TransferredReport> {
  private static final long serialVersionUID = 1L;

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
  public Iterator<TransferredReport> call(Iterator<String> names) {
    List<String> files = new ArrayList<>();
    names.forEachRemaining(files::add);
    List<TransferredReport> reports = new ArrayList<>();
    PipelineSpec spec;
    Pipeline loads;
    try {
      spec = pipeline.read();
      loads = Pipeline.open(spec, listener(), false, List.of(), Clock.systemUTC());
    } catch (RuntimeException e) {
      // The executor cannot read the pipeline or reach the target: each file fails on the system,
      // to be tried again by a later run.
      String reason = "the Spark task could not open the pipeline: " + Failures.describe(e);
      for (String file : files) {
        reports.add(
            TransferredReport.of(
                new FileReport(
                    file,
                    Optional.empty(),
                    new FileOutcome.FailedOnSystem(reason),
                    FileStats.none(0),
                    List.of())));
      }
      return reports.iterator();
    }
    try (loads) {
      RunOptions options = new RunOptions(false, retryFailed, false, SparkLoad.TRIGGER);
      for (String file : files) {
        List<FileReport> loaded;
        try {
          loaded =
              loads
                  .load(
                      List.of(file),
                      options,
                      runId,
                      started,
                      PartReading.threads(spec.source().readThreads()))
                  .files();
        } catch (IOException | RuntimeException e) {
          loaded =
              List.of(
                  new FileReport(
                      file,
                      Optional.empty(),
                      Failures.outcome(e, file, spec),
                      FileStats.none(0),
                      List.of()));
        }
        loaded.forEach(report -> reports.add(TransferredReport.of(report)));
      }
    }
    return reports.iterator();
  }

  private LoadListener listener() {
    TaskContext task = TaskContext.get();
    if (faults.equals(FaultInjection.NONE) || task == null || task.attemptNumber() > 0) {
      return LoadListener.NONE;
    }
    return new LoadListener() {
      @Override
      public void progress(SourceObject object, long rowsRead, long bytesRead) {
        if (faults.afterRows() > 0 && rowsRead >= faults.afterRows()) {
          throw new InjectedTaskFailure(
              object.key() + ": task attempt 0 stopped after " + rowsRead + " rows");
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
