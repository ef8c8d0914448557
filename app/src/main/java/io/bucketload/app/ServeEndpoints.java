package io.bucketload.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.bucketload.core.error.Fault;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.run.RunReportJson;
import io.bucketload.core.spec.PipelineSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * What {@code serve --listen HOST:PORT} answers over HTTP, for operators and their monitoring: the
 * run-history pages at {@code /} ({@link ServePages}), {@code GET /health} (200 while every
 * pipeline's source and target answered at the last attempt to reach them, 503 naming those that
 * did not), {@code GET /metrics} (Prometheus text format, through Micrometer) and {@code GET /runs}
 * (the latest run reports as JSON, newest first). Fed by the service as it opens pipelines, polls
 * triggers and runs; thread-safe.
 */
final class ServeEndpoints implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger("io.bucketload.serve");

  /** How many requests are answered at once. */
  static final int LISTEN_THREADS = 4;

  /** How many run reports {@code /runs} keeps. */
  static final int KEPT_RUNS = 50;

  private final HttpServer server;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Deque<RunReport> runs = new ArrayDeque<>();
  private final ServePages pages;

  /** The part of a pipeline that its opening concerns: its source and target. */
  static final String OPENING = "opening";

  /** The part of a pipeline that its runs concern. */
  static final String RUNS = "runs";

  /**
   * Each pipeline's problems by the part they concern ({@link #OPENING}, {@link #RUNS}, a trigger),
   * in the order served; healthy when it has none.
   */
  private final Map<String, Map<String, String>> health = new LinkedHashMap<>();

  /** Each pipeline's files waiting (settling, an incomplete set, held), with when first seen. */
  private final Map<String, Map<String, Instant>> waiting = new ConcurrentHashMap<>();

  private ServeEndpoints(List<PipelineSpec> specs, HttpServer server) {
    this.server = server;
    this.pages =
        new ServePages(
            specs,
            new ServePages.Status() {
              @Override
              public List<String> problems(String pipeline) {
                synchronized (health) {
                  return List.copyOf(health.getOrDefault(pipeline, Map.of()).values());
                }
              }

              @Override
              public int waiting(String pipeline) {
                return waiting.getOrDefault(pipeline, Map.of()).size();
              }
            });
    for (String pipeline : specs.stream().map(PipelineSpec::name).toList()) {
      Map<String, String> problems = new LinkedHashMap<>();
      problems.put(OPENING, "not opened yet");
      health.put(pipeline, problems);
      Map<String, Instant> files = new ConcurrentHashMap<>();
      waiting.put(pipeline, files);
      Gauge.builder(
              "bucketload_oldest_waiting_seconds", files, ServeEndpoints::oldestWaitingSeconds)
          .description("Age of the oldest file waiting to load (settling, incomplete set)")
          .tag("pipeline", pipeline)
          .register(registry);
    }
    Metrics.addRegistry(registry);
  }

  private static double oldestWaitingSeconds(Map<String, Instant> files) {
    Instant now = Instant.now();
    return files.values().stream()
        .min(Instant::compareTo)
        .map(first -> Duration.between(first, now).toMillis() / 1000.0)
        .orElse(0.0);
  }

  /**
   * Starts the endpoints and pages on {@code host:port} (port 0 for a free one) for the pipelines
   * served.
   *
   * @param remote whether other machines may ask (else only requests that name this machine as
   *     their host are answered, so that a web page elsewhere cannot read the pages through its
   *     visitor's browser by pointing a name of its own at 127.0.0.1)
   * @throws IOException when the address cannot be bound
   */
  static ServeEndpoints start(List<PipelineSpec> pipelines, String host, int port, boolean remote)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    ServeEndpoints endpoints = new ServeEndpoints(pipelines, server);
    server.createContext("/", guarded(remote, endpoints::page));
    server.createContext("/health", guarded(remote, endpoints::health));
    server.createContext("/metrics", guarded(remote, endpoints::metrics));
    server.createContext("/runs", guarded(remote, endpoints::runs));
    // Several threads: a slow page (a large rejects file on S3) never holds up /health.
    server.setExecutor(
        Executors.newFixedThreadPool(
            LISTEN_THREADS,
            runnable -> {
              Thread thread = new Thread(runnable, "bucketload-listen");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
    return endpoints;
  }

  /**
   * The handler answering only requests whose {@code Host} is this machine by a loopback name,
   * unless {@code remote}; others get {@code 403}.
   */
  private static HttpHandler guarded(boolean remote, HttpHandler handler) {
    return exchange -> {
      String host = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host")).orElse("");
      String name = host.replaceFirst(":\\d+$", "").toLowerCase(java.util.Locale.ROOT);
      if (remote
          || host.isEmpty()
          || name.equals("localhost")
          || name.equals("127.0.0.1")
          || name.equals("[::1]")) {
        handler.handle(exchange);
      } else {
        respond(
            exchange,
            403,
            "text/plain; charset=utf-8",
            "only requests to this machine by a loopback name are answered (--listen-remote"
                + " allows others)\n");
      }
    };
  }

  /** The address the endpoints answer on, for people: {@code http://HOST:PORT}. */
  String address() {
    InetSocketAddress bound = server.getAddress();
    return "http://" + bound.getHostString() + ":" + bound.getPort();
  }

  /**
   * A part of the pipeline answered: it opened ({@link #OPENING}), a run reached its source and
   * target ({@link #RUNS}), a trigger was polled (the trigger's description).
   */
  void healthy(String pipeline, String part) {
    synchronized (health) {
      health.computeIfAbsent(pipeline, name -> new LinkedHashMap<>()).remove(part);
    }
  }

  /** A part of the pipeline did not answer, for this reason. */
  void unhealthy(String pipeline, String part, String reason) {
    synchronized (health) {
      health.computeIfAbsent(pipeline, name -> new LinkedHashMap<>()).put(part, reason);
    }
  }

  /** A poll brought deliveries, or a delivery was settled: counted by trigger and outcome. */
  void deliveries(String pipeline, String trigger, String outcome, int count) {
    Counter.builder("bucketload_deliveries")
        .description(
            "Work handed out by triggers (SQS messages, schedule runs, watch passes): received,"
                + " acknowledged, released")
        .tag("pipeline", pipeline)
        .tag("trigger", trigger)
        .tag("outcome", outcome)
        .register(registry)
        .increment(count);
  }

  /** A pipeline opened: what the pages show of it, and the runs its ledger recorded. */
  void opened(String pipeline, ServePages.Opened opened) {
    pages.opened(pipeline, opened);
  }

  /** Takes a run's report into the metrics, the health, the pages and {@code /runs}. */
  void record(RunReport report) {
    pages.record(report);
    String pipeline = report.pipeline();
    Map<String, Instant> files =
        waiting.computeIfAbsent(pipeline, name -> new ConcurrentHashMap<>());
    for (FileReport file : report.files()) {
      if (file.outcome().isFinal()) {
        files.remove(file.file());
      } else if (!(file.outcome() instanceof io.bucketload.core.run.FileOutcome.FailedOnSystem)) {
        files.putIfAbsent(file.file(), report.startedAt());
      }
    }
    for (FileReport file : report.files()) {
      // A failure the ledger answered without trying again, or a system failure repeated in an
      // outage already told, is no news: an alert on new failures would otherwise fire at every
      // run that meets the file, or at every retry while the database is down.
      String outcome =
          file.outcome().repeats().isPresent() ? "failed_before" : file.status().reportName();
      Counter.builder("bucketload_files")
          .description("Files by outcome")
          .tag("pipeline", pipeline)
          .tag("outcome", outcome)
          .register(registry)
          .increment();
      count(pipeline, "bucketload_rows_read", "Data records read", file.rowsRead());
      count(pipeline, "bucketload_rows_loaded", "Rows the target took", file.rowsLoaded());
      count(pipeline, "bucketload_rows_rejected", "Rows rejected", file.rowsRejected());
      count(pipeline, "bucketload_bytes_read", "Bytes of files read", file.stats().bytes());
      Timer.builder("bucketload_file_duration")
          .description("Time to load a file, from its start to its outcome")
          .tag("pipeline", pipeline)
          .publishPercentileHistogram()
          .register(registry)
          .record(Duration.ofMillis(file.stats().durationMs()));
    }
    countNotifications(report);
    Optional<String> problem =
        report.files().stream()
            .filter(file -> file.fault().equals(Optional.of(Fault.SYSTEM)))
            .findFirst()
            .map(
                file -> {
                  String error = file.error().orElse("failed on the system");
                  // Most errors name their file first already.
                  return io.bucketload.core.run.OneLine.of(
                      error.startsWith(file.file() + ":") ? error : file.file() + ": " + error);
                });
    problem.ifPresentOrElse(
        reason -> unhealthy(pipeline, RUNS, reason), () -> healthy(pipeline, RUNS));
    keep(report);
  }

  /**
   * Takes the run a trigger's outage failed as a whole into the pages and {@code /runs}, not into
   * the health (the trigger's part says it, and clears when it answers again) nor the file metrics.
   */
  void recordOutage(RunReport report) {
    pages.record(report);
    countNotifications(report);
    keep(report);
  }

  private void countNotifications(RunReport report) {
    for (io.bucketload.core.notify.Delivered sent : report.notifications()) {
      Counter.builder("bucketload_notifications")
          .description("Notifications of runs, by outcome after their retries")
          .tag("pipeline", report.pipeline())
          .tag("outcome", sent.delivered() ? "delivered" : "failed")
          .register(registry)
          .increment();
    }
  }

  private void keep(RunReport report) {
    synchronized (runs) {
      runs.addFirst(report);
      while (runs.size() > KEPT_RUNS) {
        runs.removeLast();
      }
    }
  }

  private void count(String pipeline, String name, String description, long amount) {
    Counter.builder(name)
        .description(description)
        .tag("pipeline", pipeline)
        .register(registry)
        .increment(amount);
  }

  private void page(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      respond(exchange, 405, "text/plain; charset=utf-8", "");
      return;
    }
    try {
      pages.handle(exchange);
    } catch (RuntimeException e) {
      LOG.warn(
          "the page {} could not be made: {}",
          exchange.getRequestURI().getPath(),
          pages.mask(io.bucketload.core.run.Failures.describe(e)));
      respond(
          exchange,
          500,
          "text/plain; charset=utf-8",
          "the page could not be made; the service's log says why\n");
    }
  }

  private void health(HttpExchange exchange) throws IOException {
    StringBuilder body = new StringBuilder();
    boolean healthy = true;
    synchronized (health) {
      for (Map.Entry<String, Map<String, String>> pipeline : health.entrySet()) {
        Map<String, String> problems = pipeline.getValue();
        healthy &= problems.isEmpty();
        body.append(pipeline.getKey())
            .append(": ")
            .append(problems.isEmpty() ? "ok" : String.join("; ", problems.values()))
            .append('\n');
      }
    }
    respond(exchange, healthy ? 200 : 503, "text/plain; charset=utf-8", body.toString());
  }

  private void metrics(HttpExchange exchange) throws IOException {
    respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
  }

  private void runs(HttpExchange exchange) throws IOException {
    List<RunReport> latest;
    synchronized (runs) {
      latest = new ArrayList<>(runs);
    }
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode array = mapper.createArrayNode();
    for (RunReport report : latest) {
      ByteArrayOutputStream json = new ByteArrayOutputStream();
      RunReportJson.write(report, json);
      array.add(mapper.readTree(json.toByteArray()));
    }
    respond(
        exchange,
        200,
        "application/json",
        mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
  }

  /**
   * Answers a request: GET only (anything else is {@code 405}, the endpoints are read-only), with
   * headers that keep a browser from running or fetching anything the answer might hold.
   */
  static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange
          .getResponseHeaders()
          .set(
              "Content-Security-Policy",
              "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
                  + " form-action 'none'; frame-ancestors 'none'");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pages.close();
    Metrics.removeRegistry(registry);
    registry.close();
  }
}
