package io.bucketload.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.MemoryTarget;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook notifications received by a real HTTP server on loopback. */
class WebhookNotifierTest {
  @TempDir Path dir;
  private HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> upgrades = new CopyOnWriteArrayList<>();

  /** The answers to give, in order: a status, or {@code -1} to hang until the test ends. */
  private final Deque<int[]> answers = new ArrayDeque<>();

  private final CountDownLatch release = new CountDownLatch(1);
  private final MemoryTarget target = new MemoryTarget();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hooks/T0000/secret-token",
        exchange -> {
          upgrades.addAll(exchange.getRequestHeaders().getOrDefault("Upgrade", List.of()));
          received.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          int[] answer;
          synchronized (answers) {
            answer = answers.isEmpty() ? new int[] {200, 0} : answers.poll();
          }
          if (answer[0] < 0) {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            answer = new int[] {200, 0};
          }
          if (answer[1] > 0) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(answer[1]));
          }
          byte[] body = (answer[0] == 200 ? "ok" : "busy").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer[0], body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    Files.createDirectories(dir.resolve("landing"));
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T0000/secret-token";
  }

  private Pipeline pipeline(String channel) {
    PipelineSpec spec =
        new PipelineSpecReader(Map.of("HOOK", url())::get)
            .read(
                new StringReader(
                    """
                    name: orders
                    source: {path: landing, settle: 0s, match: "*.csv"}
                    schema:
                      key: [id]
                      columns:
                        - {name: id, type: long, required: true}
                        - {name: amount, type: "decimal(6,2)"}
                    target: {table: orders, mode: upsert}
                    rejects: {max: 5}
                    notify:
                    """
                        + channel.indent(2)),
                dir.resolve("pipeline.yaml"),
                dir);
    return Pipeline.withTarget(
        spec, target, Notifiers.open(spec), LoadListener.NONE, Clock.systemUTC());
  }

  private void file(String name, String content) throws IOException {
    Files.writeString(dir.resolve("landing").resolve(name), content);
  }

  @Test
  void oneRunSendsOneSlackCompatiblePayloadWithTheFactsOfEveryFile() throws Exception {
    file("a.csv", "id,amount\n1,10.00\n2,x\n3,12.50\n4,lots\n");
    file("b.csv", "amount\n1.00\n");
    RunReport report;
    try (Pipeline orders = pipeline("- webhook: {url: \"${HOOK}\"}")) {
      report = orders.run(List.of(), RunOptions.LOAD);
    }

    assertThat(received).hasSize(1);
    assertThat(upgrades).as("a plain-http relay is not offered HTTP/2").isEmpty();
    JsonNode payload = new ObjectMapper().readTree(received.get(0));
    assertThat(payload.get("text").asText())
        .startsWith("[bucketload] orders: 1 loaded, 1 failed (")
        .contains("4 rows read, 2 loaded, 2 rejected")
        .doesNotContain("secret-token");
    assertThat(payload.get("text").asText())
        .contains("rejected: amount: not a decimal (2 rows, first at line 3)")
        .contains("error: ");
    assertThat(payload.get("blocks").get(0).get("type").asText()).isEqualTo("header");
    assertThat(payload.get("blocks").toString()).contains("`b.csv`").contains("error: ");
    assertThat(payload.get("data").get("run_id").asText()).isEqualTo(report.runId());
    assertThat(payload.get("data").get("files")).hasSize(2);
    assertThat(report.notifications()).hasSize(1);
    assertThat(report.notifications().get(0).delivered()).isTrue();
    assertThat(report.notifications().get(0).channel())
        .isEqualTo("notify[0] (webhook) webhook http://127.0.0.1")
        .doesNotContain("secret-token");
  }

  @Test
  void aRunThatOnlySkipsAndARepeatedDataFailureSendNothing() throws Exception {
    file("a.csv", "id,amount\n1,10.00\n");
    file("b.csv", "amount\n1.00\n");
    try (Pipeline orders = pipeline("- webhook: {url: \"${HOOK}\"}")) {
      orders.run(List.of(), RunOptions.LOAD);
      RunReport again = orders.run(List.of(), RunOptions.LOAD);

      assertThat(again.notifications()).isEmpty();
    }
    assertThat(received).hasSize(1);
  }

  @Test
  void a500IsRetriedAndA429WaitsForRetryAfter() throws Exception {
    file("a.csv", "id,amount\n1,10.00\n");
    answers.add(new int[] {500, 0});
    answers.add(new int[] {429, 1});
    RunReport report;
    try (Pipeline orders = pipeline("- webhook: {url: \"${HOOK}\", retries: 2}")) {
      report = orders.run(List.of(), RunOptions.LOAD);
    }

    assertThat(received).hasSize(3);
    assertThat(received.get(2)).isEqualTo(received.get(0));
    assertThat(report.notifications().get(0).delivered()).isTrue();
  }

  /**
   * Runs the pipeline with {@code channel} on another thread, stops its notifications once the hook
   * was called, and returns the run's report, which must come within 10 s.
   */
  private RunReport stoppedOnceCalled(String channel) throws Exception {
    java.util.concurrent.ExecutorService running =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (Pipeline orders = pipeline(channel)) {
      java.util.concurrent.Future<RunReport> run =
          running.submit(() -> orders.run(List.of(), RunOptions.LOAD));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (received.isEmpty()) {
        assertThat(System.nanoTime()).as("the hook is called").isLessThan(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      orders.stopNotifying();
      return run.get(10, TimeUnit.SECONDS);
    } finally {
      running.shutdownNow();
    }
  }

  @Test
  void aStopEndsTheWaitForTheNextAttemptAndTheRunIsReported() throws Exception {
    file("a.csv", "id,amount\n1,10.00\n");
    // The hook asks for 90 s before the next attempt; the stop ends that wait.
    answers.add(new int[] {503, 90});

    RunReport report = stoppedOnceCalled("- webhook: {url: \"${HOOK}\", retries: 3}");

    assertThat(received).hasSize(1);
    assertThat(target.rows("orders")).hasSize(1);
    assertThat(report.notifications().get(0).delivered()).isFalse();
    assertThat(report.notifications().get(0).error().orElseThrow())
        .contains(
            "not delivered after 1 attempt(s): HTTP 503: busy; gave up: the service is stopping");
  }

  @Test
  void aStopEndsAnAttemptThatWaitsForItsAnswer() throws Exception {
    file("a.csv", "id,amount\n1,10.00\n");
    // The hook holds the request for as long as the test runs; the stop ends the wait.
    answers.add(new int[] {-1, 0});

    RunReport report = stoppedOnceCalled("- webhook: {url: \"${HOOK}\", timeout: 60s, retries: 3}");

    assertThat(report.notifications().get(0).delivered()).isFalse();
    assertThat(report.notifications().get(0).error().orElseThrow())
        .contains(
            "not delivered after 1 attempt(s): no answer before the service stopped; gave up:"
                + " the service is stopping");
  }

  @Test
  void aHookThatDoesNotAnswerInTimeFailsTheNotificationNotTheLoad() throws Exception {
    file("a.csv", "id,amount\n1,10.00\n");
    answers.add(new int[] {-1, 0});
    RunReport report;
    try (Pipeline orders = pipeline("- webhook: {url: \"${HOOK}\", timeout: 300ms, retries: 0}")) {
      report = orders.run(List.of(), RunOptions.LOAD);
    }

    assertThat(report.worstFault()).isEmpty();
    assertThat(target.rows("orders")).hasSize(1);
    assertThat(report.notifications().get(0).delivered()).isFalse();
    assertThat(report.notifications().get(0).error().orElseThrow())
        .contains("no answer within 300 ms")
        .doesNotContain("secret-token");
  }

  @Test
  void aHookThatRefusesConnectionsIsSaidToDoSo() throws Exception {
    file("a.csv", "id,amount\n1,10.00\n");
    RunReport report;
    try (Pipeline orders = pipeline("- webhook: {url: \"${HOOK}\", retries: 0}")) {
      server.stop(0);
      report = orders.run(List.of(), RunOptions.LOAD);
    }

    assertThat(report.notifications().get(0).delivered()).isFalse();
    assertThat(report.notifications().get(0).error().orElseThrow())
        .contains("cannot reach it: connection refused")
        .doesNotContain("null");
  }

  @Test
  void onChoosesTheRuns() throws Exception {
    file("a.csv", "id,amount\n1,10.00\n");
    try (Pipeline orders = pipeline("- webhook: {url: \"${HOOK}\"}\n  on: [failure]")) {
      orders.run(List.of(), RunOptions.LOAD);
      file("b.csv", "amount\n1.00\n");
      orders.run(List.of(), RunOptions.LOAD);
    }

    assertThat(received).hasSize(1);
    assertThat(received.get(0)).contains("1 failed");
  }

  @Test
  void aRunThatFailsAsAWholeIsNotifiedAsAFailure() throws Exception {
    try (Pipeline orders = pipeline("- webhook: {url: \"${HOOK}\"}\n  on: [failure]")) {
      Files.delete(dir.resolve("landing"));

      assertThatThrownBy(() -> orders.run(List.of(), RunOptions.LOAD))
          .isInstanceOf(IOException.class);
    }

    assertThat(received).hasSize(1);
    assertThat(received.get(0))
        .contains("[bucketload] orders: 1 failed (")
        .contains("the run failed: ");
  }

  @Test
  void aPlainHttpUrlToAnotherMachineIsRefused() {
    assertThatThrownBy(() -> pipeline("- webhook: {url: \"http://hooks.example.com/x\"}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pipeline.yaml line 11: notify[0].webhook.url: expected an https://");
  }
}
