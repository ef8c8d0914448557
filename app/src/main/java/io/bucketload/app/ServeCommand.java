package io.bucketload.app;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.TriggerSpec;
import io.bucketload.core.trigger.StopSignal;
import io.bucketload.core.trigger.Trigger;
import io.bucketload.core.trigger.Triggers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bucketload serve PIPELINE.yaml... | FOLDER}: serves pipelines by their triggers (queues of
 * object events, schedules, watches of the source), many in one process.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Loads files as each pipeline's trigger section says: sqs: QUEUE_URL loads the files that S3"
          + " event notifications name; schedule: rate(1 day) (or cron(...), as AWS EventBridge"
          + " writes them) loads every matching file whenever the schedule is due; watch: 30s lists"
          + " the source every 30 s and loads what is new once settled. A pipeline may combine"
          + " them; min_interval: 1 day holds its runs at least that far apart.",
      "Serves every pipeline named, and every *.yaml / *.yml file of a folder, in one process;"
          + " at most --max-loads runs load at once. A pipeline whose target or source cannot be"
          + " reached is tried again with backoff while the others go on.",
      "A stop (Ctrl-C, SIGTERM) takes no new work, lets the files in hand finish for up to"
          + " --grace, then exits 0; work not finished by then is released and delivered again.",
      "Several serve processes may share one queue: each file version loads once.",
      "Exit codes: 0 stopped; with --once: 1 a file failed, 2 configuration error, 3 system"
          + " failure, 4 another run holds the DuckDB file."
    })
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger("io.bucketload.serve");

  @Parameters(
      arity = "1..*",
      paramLabel = "PIPELINE.yaml|FOLDER",
      description = "Pipeline files, or folders whose *.yaml and *.yml files are pipelines.")
  List<Path> pipelines;

  @Option(
      names = {"--once", "--until-empty"},
      description =
          "Run each trigger once and exit: due schedules, one watch pass, the queue until a"
              + " receive finds it empty (for cron jobs and tests). Exits with the worst outcome.")
  boolean once;

  @Option(
      names = "--max-loads",
      paramLabel = "N",
      description =
          "How many runs may load at once across all pipelines; more wait their turn."
              + " Default: the number of processors.")
  Integer maxLoads;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      defaultValue = "25s",
      description =
          "On a stop, how long the files in hand may take to finish; below the 30 s that"
              + " Kubernetes and ECS wait before they kill. Default: ${DEFAULT-VALUE}.")
  String grace;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "Serve the run-history pages (/) and answer GET /health, /metrics (Prometheus) and"
              + " /runs on this address, e.g. 127.0.0.1:9464 (port 0 for a free one). A loopback"
              + " address unless --listen-remote. Off unless given.")
  String listen;

  @Option(
      names = "--listen-remote",
      description =
          "Allow --listen on an address other than loopback (e.g. 0.0.0.0 in a container). The"
              + " pages and endpoints are read-only and have no authentication: keep the port"
              + " off public networks.")
  boolean listenRemote;

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
    // A bare number is seconds, as --grace was first written.
    Duration graceperiod =
        io.bucketload.core.spec.Settings.parseDuration(
                grace.trim().matches("\\d{1,9}") ? grace.trim() + "s" : grace)
            .orElseThrow(
                () ->
                    new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--grace: '" + grace + "' is not a duration; write e.g. 25s or 1m"));
    int slots = maxLoads == null ? Runtime.getRuntime().availableProcessors() : maxLoads;
    if (slots < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--max-loads: at least 1");
    }
    List<PipelineSpec> specs = read(pipelineFiles());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AtomicReference<ExitCode> worst = new AtomicReference<>(ExitCode.OK);
    StopSignal stop = new StopSignal();
    Optional<ServeEndpoints> endpoints = listen(specs);
    endpoints.ifPresent(listening -> say(err, "listening on " + listening.address()));
    GracefulStop graceful = GracefulStop.install(stop, graceperiod, err);
    try {
      Events events = new Events(endpoints, out, worst);
      Semaphore loads = new Semaphore(slots);
      List<Thread> threads = new ArrayList<>();
      for (PipelineSpec pipeline : specs) {
        Thread thread =
            new Thread(
                new ServedPipeline(pipeline, once, stop, loads, events),
                "bucketload-" + pipeline.name());
        thread.start();
        threads.add(thread);
      }
      say(
          err,
          "serving "
              + String.join(", ", specs.stream().map(PipelineSpec::name).toList())
              + " ("
              + slots
              + " load(s) at once)");
      for (Thread thread : threads) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stop.stop();
        }
      }
    } finally {
      endpoints.ifPresent(ServeEndpoints::close);
      // After every pipeline and trigger is closed: a stop's exit waits for that.
      graceful.finished();
    }
    return once ? worst.get().code() : ExitCode.OK.code();
  }

  /** The pipeline files named, a folder standing for its *.yaml and *.yml files. */
  private List<Path> pipelineFiles() {
    List<Path> files = new ArrayList<>();
    for (Path path : pipelines) {
      if (!Files.isDirectory(path)) {
        files.add(path);
        continue;
      }
      try (Stream<Path> listing = Files.list(path)) {
        List<Path> found =
            listing
                .filter(Files::isRegularFile)
                .filter(
                    file ->
                        file.getFileName().toString().endsWith(".yaml")
                            || file.getFileName().toString().endsWith(".yml"))
                .sorted()
                .toList();
        if (found.isEmpty()) {
          throw new ConfigException(path + ": no pipeline files (*.yaml, *.yml) in this folder");
        }
        files.addAll(found);
      } catch (IOException e) {
        throw new ConfigException(path + ": cannot list the folder: " + e.getMessage(), e);
      }
    }
    return files;
  }

  /**
   * Reads and checks every pipeline before any is served: a mistake in one file is a configuration
   * error of the whole service, found at deploy time.
   */
  private static List<PipelineSpec> read(List<Path> files) {
    List<PipelineSpec> specs = new ArrayList<>();
    Map<String, Path> names = new HashMap<>();
    for (Path file : files) {
      try {
        PipelineSpec pipeline = Pipelines.read(file);
        if (pipeline.triggers().isEmpty()) {
          throw new ConfigException(
              file.getFileName()
                  + ": serve needs a trigger, e.g. trigger: {sqs: QUEUE_URL},"
                  + " trigger: {schedule: rate(1 day)} or trigger: {watch: 30s}");
        }
        Path other = names.putIfAbsent(pipeline.name(), file);
        if (other != null) {
          throw new ConfigException(
              file.getFileName()
                  + ": the name '"
                  + pipeline.name()
                  + "' is also the name of "
                  + other
                  + "; each served pipeline needs a name of its own (its ledger entries go by it)");
        }
        for (TriggerSpec trigger : pipeline.triggers()) {
          Triggers.factoryFor(trigger).check(trigger);
        }
        specs.add(pipeline);
      } catch (ConfigException e) {
        throw namingThePath(file, e);
      }
    }
    return specs;
  }

  /**
   * The error with the pipeline file named by its path, as given or found in a folder, where it
   * names only the file's name: several served pipelines are often all called {@code
   * pipeline.yaml}.
   */
  private static ConfigException namingThePath(Path file, ConfigException e) {
    String message = String.valueOf(e.getMessage());
    String name = String.valueOf(file.getFileName());
    if (file.toString().equals(name) || !message.startsWith(name)) {
      return e;
    }
    return new ConfigException(file + message.substring(name.length()), e);
  }

  /** What the pipelines tell the service: reports printed, metrics, health and exit code. */
  private final class Events implements ServedPipeline.Events {
    private final Optional<ServeEndpoints> endpoints;
    private final PrintWriter out;
    private final AtomicReference<ExitCode> worst;

    Events(Optional<ServeEndpoints> endpoints, PrintWriter out, AtomicReference<ExitCode> worst) {
      this.endpoints = endpoints;
      this.out = out;
      this.worst = worst;
    }

    @Override
    public void opened(PipelineSpec pipeline, ServePages.Opened opened) {
      endpoints.ifPresent(
          listening -> {
            listening.opened(pipeline.name(), opened);
            listening.healthy(pipeline.name(), ServeEndpoints.OPENING);
          });
    }

    @Override
    public void failed(PipelineSpec pipeline, Exception problem, boolean willRetry) {
      String reason = pipeline.mask(String.valueOf(problem.getMessage()));
      endpoints.ifPresent(
          listening -> listening.unhealthy(pipeline.name(), ServeEndpoints.OPENING, reason));
      ExitCode code =
          problem instanceof ConfigException
              ? ExitCode.USAGE
              : problem instanceof TargetException busy && busy.isBusy()
                  ? ExitCode.BUSY
                  : ExitCode.SYSTEM;
      worsen(code);
      LOG.error(
          "[{}] {}{}",
          pipeline.name(),
          reason,
          willRetry
              ? (reason.endsWith(".") ? "" : ".")
                  + " Trying again with backoff; the other pipelines go on."
              : "");
    }

    @Override
    public void received(PipelineSpec pipeline, Trigger trigger, int count) {
      count(pipeline, trigger, "received", count);
    }

    @Override
    public void settled(PipelineSpec pipeline, Trigger trigger, boolean acknowledged) {
      count(pipeline, trigger, acknowledged ? "acknowledged" : "released", 1);
    }

    @Override
    public void polled(PipelineSpec pipeline, Trigger trigger) {
      endpoints.ifPresent(listening -> listening.healthy(pipeline.name(), trigger.describe()));
    }

    @Override
    public void unreachable(PipelineSpec pipeline, Trigger trigger, String reason) {
      endpoints.ifPresent(
          listening ->
              listening.unhealthy(
                  pipeline.name(), trigger.describe(), trigger.describe() + ": " + reason));
      // Counts only with --once: a service goes on polling.
      worsen(ExitCode.SYSTEM);
    }

    private void count(PipelineSpec pipeline, Trigger trigger, String outcome, int count) {
      endpoints.ifPresent(
          listening -> listening.deliveries(pipeline.name(), trigger.kind(), outcome, count));
    }

    @Override
    public void reported(RunReport report) {
      endpoints.ifPresent(listening -> listening.record(report));
      ServeLogging.outcomes(report);
      synchronized (out) {
        ReportPrinter.print(report, out);
        out.flush();
      }
      worsen(ExitCode.of(report));
    }

    @Override
    public void outage(RunReport report) {
      // Printed and kept as a run; the health and the exit code are the trigger's (unreachable).
      endpoints.ifPresent(listening -> listening.recordOutage(report));
      synchronized (out) {
        ReportPrinter.print(report, out);
        out.flush();
      }
    }

    private void worsen(ExitCode code) {
      worst.accumulateAndGet(code, (a, b) -> b.code() > a.code() ? b : a);
    }
  }

  /** Tells the operator what the service does: a log event in JSON logs, else a line. */
  private void say(PrintWriter err, String message) {
    if (logFormat.equals("json")) {
      LOG.info(message);
    } else {
      err.println("bucketload: " + message);
      err.flush();
    }
  }

  /** Starts the HTTP endpoints when {@code --listen} asks for them. */
  private Optional<ServeEndpoints> listen(List<PipelineSpec> specs) {
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
    String host = listen.substring(0, colon);
    boolean loopback;
    try {
      loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--listen " + listen + ": unknown host '" + host + "'");
    }
    if (!loopback && !listenRemote) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--listen "
              + listen
              + ": not a loopback address, so the history pages, /health, /metrics and /runs"
              + " would be reachable from other machines without authentication. Listen on"
              + " 127.0.0.1, or add --listen-remote to allow it (and keep the port off public"
              + " networks).");
    }
    if (!loopback) {
      LOG.warn(
          "listening on {} beyond this machine (--listen-remote): the history pages and endpoints"
              + " have no authentication; keep the port off public networks",
          listen);
    }
    try {
      return Optional.of(ServeEndpoints.start(specs, host, port, !loopback));
    } catch (IOException e) {
      throw TargetException.system(
          "--listen " + listen + ": cannot listen: " + e.getMessage(), e, false);
    }
  }
}
