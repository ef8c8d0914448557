package io.bucketload.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bucketload.core.error.Fault;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.run.RunReportJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * What {@code serve --listen HOST:PORT} answers over HTTP, for operators and their monitoring:
 * {@code GET /health} (200 while the last run had no system failure, 503 naming it otherwise),
 * {@code GET /metrics} (Prometheus text format, through Micrometer) and {@code GET /runs} (the
 * latest run reports as JSON, newest first). Fed with each run's report; thread-safe.
 */
final class ServeEndpoints implements AutoCloseable {
  /** How many run reports {@code /runs} keeps. */
  static final int KEPT_RUNS = 50;

  private final String pipeline;
  private final HttpServer server;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Deque<RunReport> runs = new ArrayDeque<>();
  private volatile Optional<String> unhealthy = Optional.empty();

  private ServeEndpoints(String pipeline, HttpServer server) {
    this.pipeline = pipeline;
    this.server = server;
  }

  /**
   * Starts the endpoints on {@code host:port} (port 0 for a free one).
   *
   * @throws IOException when the address cannot be bound
   */
  static ServeEndpoints start(String pipeline, String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    ServeEndpoints endpoints = new ServeEndpoints(pipeline, server);
    server.createContext("/health", endpoints::health);
    server.createContext("/metrics", endpoints::metrics);
    server.createContext("/runs", endpoints::runs);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "bucketload-listen");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
    return endpoints;
  }

  /** The address the endpoints answer on, for people: {@code http://HOST:PORT}. */
  String address() {
    InetSocketAddress bound = server.getAddress();
    return "http://" + bound.getHostString() + ":" + bound.getPort();
  }

  /** Takes a run's report into the metrics, the health and {@code /runs}. */
  void record(RunReport report) {
    for (FileReport file : report.files()) {
      String outcome = file.status().reportName();
      Counter.builder("bucketload_files")
          .description("Files by outcome")
          .tag("pipeline", pipeline)
          .tag("outcome", outcome)
          .register(registry)
          .increment();
      count("bucketload_rows_read", "Data records read", file.rowsRead());
      count("bucketload_rows_loaded", "Rows the target took", file.rowsLoaded());
      count("bucketload_rows_rejected", "Rows rejected", file.rowsRejected());
      count("bucketload_bytes_read", "Bytes of files read", file.stats().bytes());
      Timer.builder("bucketload_file_duration")
          .description("Time to load a file, from its start to its outcome")
          .tag("pipeline", pipeline)
          .publishPercentileHistogram()
          .register(registry)
          .record(Duration.ofMillis(file.stats().durationMs()));
    }
    unhealthy =
        report.files().stream()
            .filter(file -> file.fault().equals(Optional.of(Fault.SYSTEM)))
            .findFirst()
            .map(file -> file.file() + ": " + file.error().orElse("failed on the system"));
    synchronized (runs) {
      runs.addFirst(report);
      while (runs.size() > KEPT_RUNS) {
        runs.removeLast();
      }
    }
  }

  private void count(String name, String description, long amount) {
    Counter.builder(name)
        .description(description)
        .tag("pipeline", pipeline)
        .register(registry)
        .increment(amount);
  }

  private void health(HttpExchange exchange) throws IOException {
    Optional<String> problem = unhealthy;
    respond(
        exchange,
        problem.isPresent() ? 503 : 200,
        "text/plain; charset=utf-8",
        problem.map(text -> pipeline + ": " + text + "\n").orElse(pipeline + ": ok\n"));
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

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    registry.close();
  }
}
