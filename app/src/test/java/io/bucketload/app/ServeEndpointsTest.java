package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.FileStats;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.target.LoadCounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The endpoints of {@code serve --listen}, read by a real HTTP client. */
class ServeEndpointsTest {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  /** Pipelines of these names, read from files as serve reads them. */
  private List<io.bucketload.core.spec.PipelineSpec> pipelines(String... names) throws Exception {
    List<io.bucketload.core.spec.PipelineSpec> specs = new java.util.ArrayList<>();
    java.nio.file.Files.createDirectories(dir.resolve("landing"));
    for (String name : names) {
      java.nio.file.Path file = dir.resolve(name + ".yaml");
      java.nio.file.Files.writeString(
          file,
          "name: "
              + name
              + "\nsource: {path: landing}\ntarget: {path: t.duckdb, table: t}\n"
              + "trigger: {watch: 1s}\n");
      specs.add(Pipelines.read(file));
    }
    return specs;
  }

  private HttpResponse<String> get(ServeEndpoints endpoints, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(endpoints.address() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static FileReport file(String name, FileOutcome outcome, long rows) {
    return new FileReport(
        name,
        Optional.of("sha256:00"),
        outcome,
        new FileStats(rows, 0, rows * 10, 120, Optional.empty()),
        List.of());
  }

  @Test
  void healthMetricsAndRunsFollowTheRunReports() throws Exception {
    try (ServeEndpoints endpoints =
        ServeEndpoints.start(pipelines("people", "orders"), "127.0.0.1", 0, false)) {
      HttpResponse<String> starting = get(endpoints, "/health");
      endpoints.healthy("orders", ServeEndpoints.OPENING);
      endpoints.healthy("people", ServeEndpoints.OPENING);
      assertThat(get(endpoints, "/health").statusCode()).isEqualTo(200);
      endpoints.deliveries("people", "sqs", "received", 2);
      endpoints.deliveries("people", "sqs", "acknowledged", 1);

      endpoints.record(
          new RunReport(
              "people",
              "run-1",
              Instant.parse("2026-12-01T06:00:00Z"),
              List.of(file("a.csv", new FileOutcome.Loaded(LoadCounts.written(3), List.of()), 3)),
              130,
              List.of(),
              "schedule rate(1 day)",
              List.of(
                  new io.bucketload.core.notify.Delivered(
                      "notify[0] (webhook) webhook https://hooks.example.com",
                      false,
                      Optional.of("HTTP 500")))));
      HttpResponse<String> healthy = get(endpoints, "/health");
      HttpResponse<String> metrics = get(endpoints, "/metrics");
      endpoints.record(
          new RunReport(
              "people",
              "run-2",
              Instant.parse("2026-12-01T07:00:00Z"),
              List.of(file("b.csv", new FileOutcome.FailedOnSystem("the database is down"), 0)),
              50,
              List.of()));
      HttpResponse<String> unhealthy = get(endpoints, "/health");
      JsonNode runs = new ObjectMapper().readTree(get(endpoints, "/runs").body());

      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(starting.body()).isEqualTo("people: not opened yet\norders: not opened yet\n");
      assertThat(healthy.body()).isEqualTo("people: ok\norders: ok\n");
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      assertThat(metrics.body())
          .contains("bucketload_files_total{outcome=\"loaded\",pipeline=\"people\"} 1.0")
          .contains("bucketload_rows_loaded_total{pipeline=\"people\"} 3.0")
          .contains("bucketload_file_duration_seconds_count{pipeline=\"people\"} 1")
          .contains(
              "bucketload_deliveries_total{outcome=\"received\",pipeline=\"people\",trigger=\"sqs\"}"
                  + " 2.0")
          .contains("bucketload_oldest_waiting_seconds{pipeline=\"orders\"} 0.0")
          .contains("bucketload_notifications_total{outcome=\"failed\",pipeline=\"people\"} 1.0");
      assertThat(unhealthy.statusCode()).isEqualTo(503);
      assertThat(unhealthy.body()).isEqualTo("people: b.csv: the database is down\norders: ok\n");
      assertThat(runs).hasSize(2);
      assertThat(runs.get(0).get("run_id").asText()).isEqualTo("run-2");
      assertThat(runs.get(1).get("files").get(0).get("file").asText()).isEqualTo("a.csv");
    }
  }

  @Test
  void anOutageOfATriggerIsListedAsARunAndItsHealthClearsWhenTheTriggerAnswers() throws Exception {
    try (ServeEndpoints endpoints =
        ServeEndpoints.start(pipelines("orders"), "127.0.0.1", 0, false)) {
      endpoints.healthy("orders", ServeEndpoints.OPENING);
      endpoints.unhealthy("orders", "watch landing", "watch landing: source.path is not a folder");
      endpoints.recordOutage(
          new RunReport(
              "orders",
              "run-outage",
              Instant.parse("2026-12-01T06:00:00Z"),
              List.of(
                  FileReport.runFailed("landing (*.csv)", "landing: source.path is not a folder")),
              0,
              List.of()));
      HttpResponse<String> during = get(endpoints, "/health");
      JsonNode runs = new ObjectMapper().readTree(get(endpoints, "/runs").body());
      String metrics = get(endpoints, "/metrics").body();

      // The folder is back; no file run follows, as its listing is the one handled before.
      endpoints.healthy("orders", "watch landing");
      HttpResponse<String> after = get(endpoints, "/health");

      assertThat(during.statusCode()).isEqualTo(503);
      assertThat(runs).hasSize(1);
      assertThat(runs.get(0).get("files").get(0).get("error").asText())
          .isEqualTo("the run failed: landing: source.path is not a folder");
      assertThat(metrics).doesNotContain("bucketload_files_total{outcome=\"failed\"");
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(after.body()).isEqualTo("orders: ok\n");
    }
  }

  @Test
  void aDataFailureRepeatedFromTheLedgerIsNotCountedAsANewFailure() throws Exception {
    io.bucketload.core.target.LedgerEntry earlier =
        new io.bucketload.core.target.LedgerEntry(
            "orders",
            "run-1",
            new io.bucketload.core.source.FileVersion("bad.csv", 10, "sha256:00"),
            io.bucketload.core.target.FileStatus.FAILED,
            Instant.parse("2026-12-01T06:00:00Z"),
            Instant.parse("2026-12-01T06:00:01Z"),
            1,
            1,
            LoadCounts.none(),
            Optional.of("bad.csv line 2: not a number"),
            Optional.of(io.bucketload.core.error.Fault.DATA),
            "def",
            "schedule");
    try (ServeEndpoints endpoints =
        ServeEndpoints.start(pipelines("orders"), "127.0.0.1", 0, false)) {
      endpoints.record(
          new RunReport(
              "orders",
              "run-1",
              Instant.parse("2026-12-01T06:00:00Z"),
              List.of(
                  file(
                      "bad.csv",
                      new FileOutcome.FailedOnData(
                          "bad.csv line 2: not a number", Optional.empty()),
                      1)),
              50,
              List.of()));
      for (String run : List.of("run-2", "run-3")) {
        endpoints.record(
            new RunReport(
                "orders",
                run,
                Instant.parse("2026-12-01T07:00:00Z"),
                List.of(
                    file(
                        "bad.csv",
                        new FileOutcome.FailedOnData(
                            "bad.csv line 2: not a number [failed before]", Optional.of(earlier)),
                        0)),
                50,
                List.of()));
      }

      assertThat(get(endpoints, "/metrics").body())
          .contains("bucketload_files_total{outcome=\"failed\",pipeline=\"orders\"} 1.0")
          .contains("bucketload_files_total{outcome=\"failed_before\",pipeline=\"orders\"} 2.0");
    }
  }

  @Test
  void aSystemFailureRepeatedInAnOutageAlreadyToldIsNotCountedAsANewFailure() throws Exception {
    try (ServeEndpoints endpoints =
        ServeEndpoints.start(pipelines("orders"), "127.0.0.1", 0, false)) {
      for (Optional<String> told : List.of(Optional.<String>empty(), Optional.of("run-1"))) {
        endpoints.record(
            new RunReport(
                "orders",
                told.isEmpty() ? "run-1" : "run-2",
                Instant.parse("2026-12-01T06:00:00Z"),
                List.of(
                    file("a.csv", new FileOutcome.FailedOnSystem("connection refused", told), 0)),
                50,
                List.of()));
      }

      assertThat(get(endpoints, "/metrics").body())
          .contains("bucketload_files_total{outcome=\"failed\",pipeline=\"orders\"} 1.0")
          .contains("bucketload_files_total{outcome=\"failed_before\",pipeline=\"orders\"} 1.0");
      // Still unhealthy while it lasts.
      assertThat(get(endpoints, "/health").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void theOldestWaitingFileIsTimedUntilItLoads() throws Exception {
    try (ServeEndpoints endpoints =
        ServeEndpoints.start(pipelines("orders"), "127.0.0.1", 0, false)) {
      Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
      endpoints.record(
          new RunReport(
              "orders",
              "run-1",
              tenMinutesAgo,
              List.of(file("a.csv", new FileOutcome.Waiting("still being written"), 0)),
              10,
              List.of()));
      String waiting = get(endpoints, "/metrics").body();
      endpoints.record(
          new RunReport(
              "orders",
              "run-2",
              Instant.now(),
              List.of(file("a.csv", new FileOutcome.Loaded(LoadCounts.written(1), List.of()), 1)),
              10,
              List.of()));
      String loaded = get(endpoints, "/metrics").body();

      double age = gauge(waiting, "bucketload_oldest_waiting_seconds{pipeline=\"orders\"}");
      assertThat(age).isBetween(600.0, 3600.0);
      assertThat(gauge(loaded, "bucketload_oldest_waiting_seconds{pipeline=\"orders\"}")).isZero();
    }
  }

  private static double gauge(String metrics, String series) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .map(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(series + " not in\n" + metrics));
  }

  @Test
  void onLoopbackOnlyRequestsNamingThisMachineAreAnswered() throws Exception {
    try (ServeEndpoints endpoints =
        ServeEndpoints.start(pipelines("orders"), "127.0.0.1", 0, false)) {
      int port = URI.create(endpoints.address()).getPort();

      assertThat(statusLine(port, "127.0.0.1:" + port, "/health")).contains(" 503 ");
      assertThat(statusLine(port, "localhost:" + port, "/")).contains(" 200 ");
      assertThat(statusLine(port, "attacker.example:" + port, "/"))
          .as("a name pointed at 127.0.0.1 by another site")
          .contains(" 403 ");
      assertThat(statusLine(port, "attacker.example", "/runs")).contains(" 403 ");
    }
    try (ServeEndpoints endpoints =
        ServeEndpoints.start(pipelines("orders"), "127.0.0.1", 0, true)) {
      int port = URI.create(endpoints.address()).getPort();
      assertThat(statusLine(port, "bucketload.internal:" + port, "/")).contains(" 200 ");
    }
  }

  /** The status line of a GET sent with this Host header (which HttpClient does not let set). */
  private static String statusLine(int port, String host, String path) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
          .readLine();
    }
  }
}
