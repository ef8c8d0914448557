package io.bucketload.app;

import io.bucketload.aws.S3Source;
import io.bucketload.aws.sqs.EventLoads;
import io.bucketload.aws.sqs.SqsTrigger;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.PipelineRunner;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.TriggerSpec;
import io.bucketload.core.target.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bucketload serve PIPELINE.yaml [--until-empty]}: loads files as their events arrive. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Loads files as their S3 event notifications arrive on the pipeline's trigger queue"
          + " (trigger: {sqs: QUEUE_URL}), until stopped (Ctrl-C, SIGTERM) or, with --until-empty,"
          + " until the queue is empty.",
      "Several serve processes may share one queue: each file version loads once.",
      "Exit codes: 0 stopped; 1 with --until-empty, a file failed; 2 configuration error; 3 system"
          + " failure."
    })
final class ServeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @Option(
      names = "--until-empty",
      description = "Stop once a receive finds the queue empty (for schedules and tests).")
  boolean untilEmpty;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PipelineSpec pipelineSpec = Pipelines.read(pipeline);
    TriggerSpec trigger =
        pipelineSpec
            .trigger()
            .orElseThrow(
                () ->
                    new ConfigException(
                        pipeline.getFileName()
                            + ": serve needs a trigger, e.g. trigger: {sqs: QUEUE_URL}"));
    Source source = Sources.open(pipelineSpec.source());
    if (!(source instanceof S3Source s3)) {
      throw new ConfigException(
          pipeline.getFileName() + ": trigger.sqs takes S3 events, so source.path must be s3://");
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              stopping.set(true);
              try {
                main.join(30_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "bucketload-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ExitCode worst = ExitCode.OK;
    try (Target target = Pipelines.openTarget(pipelineSpec);
        SqsTrigger queue = SqsTrigger.open(trigger)) {
      EventLoads loads =
          new EventLoads(
              s3,
              new PipelineRunner(pipelineSpec, s3, target, LoadListener.NONE, Clock.systemUTC()));
      spec.commandLine()
          .getErr()
          .println("bucketload: serving " + pipelineSpec.name() + " from " + trigger.address());
      spec.commandLine().getErr().flush();
      int failures = 0;
      while (!stopping.get()) {
        SqsTrigger.Poll poll;
        try {
          poll = queue.pollOnce(loads);
          failures = 0;
        } catch (IOException e) {
          // The queue or the bucket is unreachable for now; the messages stay in the queue.
          failures++;
          spec.commandLine().getErr().println("bucketload: " + e.getMessage() + "; retrying");
          spec.commandLine().getErr().flush();
          pause(failures);
          continue;
        }
        for (RunReport report : poll.reports()) {
          ReportPrinter.print(report, spec.commandLine().getOut());
          spec.commandLine().getOut().flush();
          ExitCode code = ExitCode.of(report);
          if (code.code() > worst.code()) {
            worst = code;
          }
        }
        if (untilEmpty && poll.received() == 0) {
          break;
        }
      }
    } finally {
      if (!stopping.get()) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    }
    return untilEmpty ? worst.code() : ExitCode.OK.code();
  }

  /** Waits before polling again after a failure: 1, 2, 4 ... up to 60 seconds. */
  private static void pause(int failures) {
    try {
      Thread.sleep(Math.min(60_000L, 1000L << Math.min(failures - 1, 6)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
