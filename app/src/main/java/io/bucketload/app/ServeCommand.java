package io.bucketload.app;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.TriggerSpec;
import io.bucketload.core.trigger.Trigger;
import io.bucketload.core.trigger.TriggerFactory;
import io.bucketload.core.trigger.TriggeredRuns;
import io.bucketload.core.trigger.Triggers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bucketload serve PIPELINE.yaml [--until-empty]}: loads files as their events arrive, or
 * when the pipeline's schedule is due.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Loads files as the pipeline's trigger says: trigger: {sqs: QUEUE_URL} loads the files that S3"
          + " event notifications name; trigger: {schedule: rate(1 day)} (or cron(...), as AWS"
          + " EventBridge writes them) loads every matching file whenever the schedule is due;"
          + " trigger: {watch: 30s} lists the source every 30 s and loads what is new once settled."
          + " Runs until stopped (Ctrl-C, SIGTERM) or, with --until-empty, until the queue is"
          + " empty, no schedule is due, or a watch finds nothing new.",
      "A stop takes no new work, lets the file in hand finish for up to --grace, then exits 0;"
          + " work not finished by then is released and delivered again.",
      "Several serve processes may share one queue: each file version loads once.",
      "Exit codes: 0 stopped; 1 with --until-empty, a file failed; 2 configuration error; 3 system"
          + " failure."
    })
final class ServeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @Option(
      names = {"--until-empty", "--once"},
      description =
          "Stop once a receive finds the queue empty, the schedule is not due, or a watch finds"
              + " nothing new (for cron jobs and tests).")
  boolean untilEmpty;

  @Option(
      names = "--grace",
      paramLabel = "SECONDS",
      defaultValue = "25",
      description =
          "On a stop, how long the file in hand may take to finish; below the 30 s that"
              + " Kubernetes and ECS wait before they kill. Default: ${DEFAULT-VALUE}.")
  int graceSeconds;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "Answer GET /health, /metrics (Prometheus) and /runs on this address, e.g."
              + " 127.0.0.1:9464 (port 0 for a free one). Off unless given.")
  String listen;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text (lines for people) or json (one JSON object per line on standard error, for log"
              + " shippers). Either way each file's outcome is logged at INFO with the pipeline,"
              + " run id and file. Default: ${DEFAULT-VALUE}.")
  String logFormat;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ServeLogging.configure(logFormat, spec.commandLine());
    PipelineSpec pipelineSpec = Pipelines.read(pipeline);
    TriggerSpec triggerSpec =
        pipelineSpec
            .trigger()
            .orElseThrow(
                () ->
                    new ConfigException(
                        pipeline.getFileName()
                            + ": serve needs a trigger, e.g. trigger: {sqs: QUEUE_URL} or"
                            + " trigger: {schedule: rate(1 day)}"));
    TriggerFactory factory = Triggers.factoryFor(triggerSpec);
    factory.check(triggerSpec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AtomicReference<ExitCode> worst = new AtomicReference<>(ExitCode.OK);
    GracefulStop stop = null;
    Optional<ServeEndpoints> endpoints = Optional.empty();
    try (Pipeline loads = Pipeline.open(pipelineSpec, LoadListener.NONE);
        Trigger trigger = factory.open(triggerSpec, loads.source())) {
      endpoints = listen(pipelineSpec.name());
      endpoints.ifPresent(listening -> say(err, "listening on " + listening.address()));
      Optional<ServeEndpoints> reporting = endpoints;
      TriggeredRuns runs =
          new TriggeredRuns(
              loads,
              TriggeredRuns.DEFAULT_BACKOFF,
              triggerSpec.minInterval(),
              java.time.Clock.systemUTC());
      stop = GracefulStop.install(runs, Duration.ofSeconds(Math.max(0, graceSeconds)), err);
      say(err, "serving " + pipelineSpec.name() + " from " + trigger.describe());
      runs.serve(
          trigger,
          untilEmpty,
          (RunReport report) -> {
            reporting.ifPresent(listening -> listening.record(report));
            ServeLogging.outcomes(report);
            ReportPrinter.print(report, out);
            out.flush();
            worst.accumulateAndGet(ExitCode.of(report), (a, b) -> b.code() > a.code() ? b : a);
          });
    } finally {
      endpoints.ifPresent(ServeEndpoints::close);
      // After the pipeline and the trigger are closed: a stop's exit waits for that.
      if (stop != null) {
        stop.finished();
      }
    }
    return untilEmpty ? worst.get().code() : ExitCode.OK.code();
  }

  /** Tells the operator what the service does: a log event in JSON logs, else a line. */
  private void say(PrintWriter err, String message) {
    if (logFormat.equals("json")) {
      org.slf4j.LoggerFactory.getLogger("io.bucketload.serve").info(message);
    } else {
      err.println("bucketload: " + message);
      err.flush();
    }
  }

  /** Starts the HTTP endpoints when {@code --listen} asks for them. */
  private Optional<ServeEndpoints> listen(String pipelineName) {
    if (listen == null) {
      return Optional.empty();
    }
    int colon = listen.lastIndexOf(':');
    int port = -1;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      // Reported below.
    }
    if (colon <= 0 || port < 0 || port > 65535) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--listen: expected HOST:PORT, e.g. 127.0.0.1:9464, found '" + listen + "'");
    }
    try {
      return Optional.of(ServeEndpoints.start(pipelineName, listen.substring(0, colon), port));
    } catch (java.io.IOException e) {
      throw io.bucketload.core.error.TargetException.system(
          "--listen " + listen + ": cannot listen: " + e.getMessage(), e, false);
    }
  }
}
