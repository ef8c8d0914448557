package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.aws.AwsPipeline;
import io.bucketload.aws.LocalAws;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code serve} stops on SIGTERM: it finishes the work in hand, says so, and exits 0. */
class ServeStopIT {
  private static final Map<String, String> CREDENTIALS =
      Map.of(
          "AWS_ACCESS_KEY_ID", "localTestKey",
          "AWS_SECRET_ACCESS_KEY", "localTestSecret",
          "AWS_REGION", "us-east-1");

  @TempDir Path dir;
  private final SqsClient sqs = LocalAws.sqs();

  @Test
  @Timeout(120)
  void sigtermStopsServeAfterTheFileInHandAndExitsZero() throws Exception {
    String queueUrl =
        sqs.createQueue(request -> request.queueName("stop-" + System.nanoTime())).queueUrl();
    AwsPipeline aws =
        new AwsPipeline(dir)
            .pipeline(
                "serve-stop-" + System.nanoTime(),
                """
                source: {path: "s3://${BUCKET}/in/", endpoint: "${S3_ENDPOINT}", path_style: true}
                schema: {key: [id]}
                target: {type: dynamodb, endpoint: "${DYNAMODB_ENDPOINT}", table: TABLE, mode: upsert}
                trigger: {sqs: "QUEUE", endpoint: "SQS_ENDPOINT", wait_seconds: 1}
                """
                    .replace("TABLE", AwsPipeline.table("stop"))
                    .replace("QUEUE", queueUrl)
                    .replace("SQS_ENDPOINT", LocalAws.sqsEndpoint().toString()));
    aws.put("in/a.csv", "id,name\n1,a\n2,b\n");
    sqs.sendMessage(
        request ->
            request
                .queueUrl(queueUrl)
                .messageBody(
                    "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
                        + "\"s3\":{\"bucket\":{\"name\":\""
                        + aws.bucket()
                        + "\"},\"object\":{\"key\":\"in/a.csv\"}}}]}"));
    Path err = dir.resolve("serve.err");
    ProcessBuilder builder =
        CliProcess.builder(dir, err, "serve", aws.file().getFileName().toString());
    builder.environment().putAll(CREDENTIALS);
    Process serve = builder.start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
      // Its report of the file is printed once the run is over: a line at a time, until then.
      StringBuilder seen = new StringBuilder();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.append(line).append('\n');
        if (line.startsWith("1 loaded")) {
          break;
        }
      }
      assertThat(seen.toString()).contains("loaded   a.csv");

      serve.destroy();

      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stops").isTrue();
    } finally {
      serve.destroyForcibly();
    }
    assertThat(serve.exitValue()).isZero();
    assertThat(Files.readString(err))
        .contains("bucketload: stopping")
        .contains("bucketload: stopped");
  }

  @Test
  @Timeout(120)
  void aStopWhileAWebhookWaitsKeepsTheReportAndTheRecordAndTheFileIsFreeMeanwhile()
      throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer hook =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          calls.incrementAndGet();
          // Busy: try again in 90 s, longer than the stop's grace.
          exchange.getResponseHeaders().set("Retry-After", "90");
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    hook.start();
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(dir.resolve("landing/a.csv"), "id\n1\n");
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: hooked
        source: {path: landing, settle: 0s}
        target: {path: hooked.duckdb, table: t}
        trigger: {watch: 1s}
        notify:
          - webhook: {url: "http://127.0.0.1:%d/hook", retries: 3}
        """
            .formatted(hook.getAddress().getPort()));
    Path err = dir.resolve("serve.err");
    Path out = dir.resolve("serve.out");
    Process serve =
        CliProcess.builder(dir, err, "serve", "pipeline.yaml").redirectOutput(out.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (calls.get() == 0) {
        assertThat(System.nanoTime()).as("the hook is called").isLessThan(deadline);
        assertThat(serve.isAlive()).as("serve runs: %s", Files.readString(err)).isTrue();
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      // While the notification waits, the DuckDB file is free for other commands.
      CliProcess.Result query =
          CliProcess.run(
              dir, "query", "pipeline.yaml", "SELECT count(*) AS n FROM t", "--csv", "--wait", "0");
      assertThat(query.exitCode()).as(query.err()).isZero();
      assertThat(query.out()).isEqualTo("n\n1\n");
      serve.destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stops").isTrue();
    } finally {
      serve.destroyForcibly();
      hook.stop(0);
    }
    assertThat(serve.exitValue()).isZero();
    assertThat(Files.readString(err))
        .contains("bucketload: stopped")
        .doesNotContain("after the grace period");
    assertThat(Files.readString(out))
        .contains("loaded   a.csv")
        .contains("gave up: the service is stopping");
    assertThat(calls).hasValue(1);
    CliProcess.Result runs = CliProcess.run(dir, "runs", "pipeline.yaml", "--json");
    assertThat(runs.out()).contains("gave up: the service is stopping");
  }
}
