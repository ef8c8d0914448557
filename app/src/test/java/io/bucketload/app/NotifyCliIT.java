package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications through the command line: {@code notify-test} checks the wiring, and a channel that
 * fails never changes a load's outcome but is reported and recorded with the run.
 */
class NotifyCliIT {
  @TempDir Path dir;
  private HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook/secret-part",
        exchange -> {
          received.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
        });
    server.start();
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: people
        source: {path: landing, settle: 0s}
        target: {path: people.duckdb, table: people}
        notify:
          - webhook: {url: "${HOOK}", retries: 0}
        """);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Map<String, String> environment() {
    return Map.of(
        "HOOK", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook/secret-part");
  }

  @Test
  void notifyTestSendsASampleThroughEveryChannel() throws Exception {
    CliProcess.Result sent = CliProcess.run(dir, environment(), "notify-test", "pipeline.yaml");
    status.set(503);
    CliProcess.Result refused = CliProcess.run(dir, environment(), "notify-test", "pipeline.yaml");

    assertThat(sent.exitCode()).as(sent.out() + sent.err()).isZero();
    assertThat(sent.out()).contains("delivered  notify[0] (webhook) webhook http://127.0.0.1");
    assertThat(received.get(0))
        .contains("This is a test notification from bucketload notify-test")
        .contains("[bucketload] people: 1 loaded, 1 failed (missing column 'customer_id'");
    assertThat(refused.exitCode()).isEqualTo(3);
    assertThat(refused.out()).contains("failed     notify[0] (webhook)").contains("HTTP 503");
    assertThat(refused.out() + refused.err()).doesNotContain("secret-part");
    assertThat(Files.exists(dir.resolve("people.duckdb"))).as("nothing loaded").isFalse();
  }

  @Test
  void aChannelIsDescribedWithTheValuesFromTheEnvironmentMasked() throws Exception {
    Files.writeString(
        dir.resolve("host.yaml"),
        """
        name: people
        source: {path: landing, settle: 0s}
        target: {path: people.duckdb, table: people}
        notify:
          - webhook: {url: "http://${HOOK_HOST}:%d/hook/secret-part", retries: 0}
        """
            .formatted(server.getAddress().getPort()));
    status.set(503);

    CliProcess.Result refused =
        CliProcess.run(dir, Map.of("HOOK_HOST", "127.0.0.1"), "notify-test", "host.yaml");

    assertThat(refused.exitCode()).isEqualTo(3);
    assertThat(refused.out()).contains("failed     notify[0] (webhook) webhook http://****: ");
    assertThat(refused.out() + refused.err()).doesNotContain("127.0.0.1");
  }

  @Test
  void aChannelThatFailsLeavesTheLoadAloneAndIsRecordedWithTheRun() throws Exception {
    status.set(500);
    Files.writeString(dir.resolve("landing/a.csv"), "id,name\n1,Ada\n");

    CliProcess.Result run = CliProcess.run(dir, environment(), "run", "pipeline.yaml");
    CliProcess.Result runs = CliProcess.run(dir, environment(), "runs", "pipeline.yaml");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("1 loaded, 0 skipped, 0 failed")
        .contains("1 row read, 1 loaded, 0 rejected")
        .contains("notification to notify[0] (webhook) webhook http://127.0.0.1 failed: ")
        .contains("HTTP 500")
        .doesNotContain("secret-part");
    assertThat(runs.out())
        .contains("loaded")
        .contains("notification to notify[0] (webhook) webhook http://127.0.0.1 failed: ");
    assertThat(received).hasSize(1);

    // Looking at the history needs no notification secret; loading does.
    CliProcess.Result runsWithoutHook = CliProcess.run(dir, "runs", "pipeline.yaml");
    CliProcess.Result runWithoutHook = CliProcess.run(dir, "run", "pipeline.yaml");
    assertThat(runsWithoutHook.exitCode()).as(runsWithoutHook.err()).isZero();
    assertThat(runsWithoutHook.out()).contains("a.csv");
    assertThat(runWithoutHook.exitCode()).isEqualTo(2);
    assertThat(runWithoutHook.err()).contains("environment variable HOOK is not set");
  }

  @Test
  void aRunWhoseDatabaseCannotBeReachedIsNotifiedByRunAndServeOnce() throws Exception {
    int closedPort = downPipeline();
    Files.writeString(dir.resolve("landing/a.csv"), "id,name\n1,Ada\n");

    CliProcess.Result run = CliProcess.run(dir, environment(), "run", "down.yaml");
    CliProcess.Result served = CliProcess.run(dir, environment(), "serve", "down.yaml", "--once");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(served.exitCode()).as(served.err()).isEqualTo(3);
    assertThat(received).hasSize(2);
    for (String message : received) {
      assertThat(message)
          .contains("down: 1 failed (")
          .contains("the run failed: connecting to jdbc:postgresql://127.0.0.1:" + closedPort)
          .contains("landing (*.{csv,csv.gz})")
          .doesNotContain("secret-part");
    }
    assertThat(received.get(0)).contains("by bucketload run");
    assertThat(received.get(1)).contains("by bucketload serve");
  }

  @Test
  void serveTellsTheFirstFailedOpeningAChannelTookNotTheOnesBefore() throws Exception {
    int closedPort = downPipeline();
    // The first message is refused for good (a 404 is not retried): the outage is not told yet.
    status.set(404);
    Path err = dir.resolve("serve.err");
    ProcessBuilder builder =
        CliProcess.builder(dir, err, "serve", "down.yaml")
            .redirectOutput(dir.resolve("serve.out").toFile());
    builder.environment().putAll(environment());
    Process serve = builder.start();
    try {
      awaitReceived(1, serve, err);
      status.set(200);
      awaitReceived(2, serve, err);
    } finally {
      serve.destroy();
      if (!serve.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        serve.destroyForcibly();
      }
    }
    for (String message : received) {
      assertThat(message)
          .contains("the run failed: connecting to jdbc:postgresql://127.0.0.1:" + closedPort);
    }
    // Told once it was delivered: the later attempts to open it said nothing more.
    assertThat(received).hasSize(2);
  }

  /**
   * Writes {@code down.yaml}: a pipeline whose PostgreSQL server cannot be reached (a closed port),
   * telling the test's webhook; returns the port.
   */
  private int downPipeline() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Files.writeString(
        dir.resolve("down.yaml"),
        """
        name: down
        source: {path: landing, settle: 0s}
        target: {type: postgres, url: "jdbc:postgresql://127.0.0.1:%d/shop", table: people}
        trigger: {watch: 1s}
        notify:
          - webhook: {url: "${HOOK}", retries: 0}
        """
            .formatted(closedPort));
    return closedPort;
  }

  private void awaitReceived(int count, Process serve, Path err) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (received.size() < count) {
      assertThat(System.nanoTime()).as("%d message(s) received", count).isLessThan(deadline);
      assertThat(serve.isAlive()).as("serve runs: %s", Files.readString(err)).isTrue();
      java.util.concurrent.locks.LockSupport.parkNanos(
          java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
