package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.jdbc.postgres.PostgresServer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs of one pipeline at once, as a cron overlap or two workers start them: each file version
 * loads once, and the other run says so and exits 0. A DuckDB file held by one run is waited for,
 * then reported busy with exit code 4; {@code runs} shows the history as of its last commit.
 */
class ConcurrentRunsIT {
  private static final Map<String, String> ENV = Map.of("PGPASSWORD", "postgres");

  @TempDir Path dir;
  private String url;

  /** The environment of the commands the tests start. */
  private Map<String, String> environment = ENV;

  private void orders(String name, int from, int rows) throws IOException {
    Files.createDirectories(dir.resolve("landing"));
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("landing").resolve(name))) {
      out.write("order_id,customer,amount\n");
      for (int i = from; i < from + rows; i++) {
        out.write(i + ",c" + (i % 1000) + "," + (i % 10_000) + ".25\n");
      }
    }
  }

  private CompletableFuture<CliProcess.Result> start(Path dir, String... args) {
    Map<String, String> env = environment;
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return CliProcess.run(dir, env, args);
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void twoRunsStartedTogetherAgainstOnePostgresSchemaLoadEachVersionOnceAndBothExitZero()
      throws Exception {
    url = PostgresServer.newDatabase();
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: orders
        source: {path: landing, settle: 0s}
        schema:
          columns:
            - {name: order_id, type: long}
            - {name: customer, type: string}
            - {name: amount, type: "decimal(12,2)"}
        target:
          type: postgres
          url: %s
          user: postgres
          password: ${PGPASSWORD}
          schema: staging
          table: orders
          mode: append
        """
            .formatted(url));
    orders("orders.csv", 0, 20_000);
    raceAndCheck(20_000, 1);

    orders("orders.csv", 20_000, 5_000);
    raceAndCheck(25_000, 2);
  }

  private void raceAndCheck(int rows, int loads) throws Exception {
    CompletableFuture<CliProcess.Result> first = start(dir, "run", "pipeline.yaml");
    CompletableFuture<CliProcess.Result> second = start(dir, "run", "pipeline.yaml");
    List<CliProcess.Result> results =
        List.of(first.get(180, TimeUnit.SECONDS), second.get(180, TimeUnit.SECONDS));

    for (CliProcess.Result result : results) {
      assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    }
    assertThat(results)
        .as("one run loads the file, the other skips it")
        .extracting(result -> result.out().contains("1 loaded, 0 skipped"))
        .containsExactlyInAnyOrder(true, false);
    CliProcess.Result loser =
        results.stream().filter(r -> !r.out().contains("1 loaded")).findFirst().orElseThrow();
    assertThat(loser.out()).contains("0 loaded, 1 skipped, 0 failed");
    assertThat(PostgresServer.query(url, "SELECT count(*) FROM staging.orders"))
        .containsExactly(Integer.toString(rows));
    assertThat(
            PostgresServer.query(
                url, "SELECT count(*) FROM staging.bucketload_ledger WHERE status = 'loaded'"))
        .containsExactly(Integer.toString(loads));
    assertThat(
            PostgresServer.query(
                url, "SELECT count(*) FROM staging.bucketload_ledger WHERE status = 'failed'"))
        .containsExactly("0");
  }

  @Test
  void aDuckDbFileHeldByAnotherRunIsWaitedForThenReportedBusyWithExitCodeFour() throws Exception {
    // The file's folder comes from the environment: every message and log line masks it.
    environment = Map.of("ORDERS_DIR", dir.toAbsolutePath().toString());
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: orders
        source: {path: landing, settle: 0s}
        schema: {key: [order_id]}
        target: {path: "${ORDERS_DIR}/orders.duckdb", table: orders, mode: upsert, threads: 1}
        """);
    orders("early.csv", 0, 10);
    assertThat(CliProcess.run(dir, environment, "run", "pipeline.yaml").exitCode()).isZero();
    orders("orders.csv", 0, 3_000_000);
    Path unused = Files.createTempFile(dir, "unused", ".txt");
    ProcessBuilder holding =
        CliProcess.builder(dir, unused, "run", "pipeline.yaml", "--progress", "log")
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    holding.environment().putAll(environment);
    Process holder = holding.start();
    List<String> seen = new ArrayList<>();
    CompletableFuture<CliProcess.Result> busy = null;
    CompletableFuture<CliProcess.Result> history = null;
    CompletableFuture<CliProcess.Result> patient = null;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(holder.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        seen.add(line);
        // Progress: "N rows, X of Y MB" from bucketload's reader, "X of Y MB" while DuckDB reads.
        if (busy == null && line.contains("orders.csv: ") && line.contains(" of ")) {
          // The first run is loading and holds the file.
          busy = start(dir, "run", "pipeline.yaml", "--wait", "0");
          history = start(dir, "runs", "pipeline.yaml", "--wait", "0");
          patient = start(dir, "run", "pipeline.yaml", "--wait", "170s");
        }
      }
    }
    assertThat(holder.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(busy).as("the first run ended before it could be raced: %s", seen).isNotNull();
    assertThat(holder.exitValue()).as(String.join("\n", seen)).isZero();

    CliProcess.Result refused = busy.get(180, TimeUnit.SECONDS);
    assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(4);
    assertThat(refused.err())
        .contains("is using ****/orders.duckdb; try again")
        .containsPattern(
            "another bucketload run \\(PID \\d+\\) is using .*orders\\.duckdb; try again")
        .doesNotContain(dir.toAbsolutePath().toString());
    CliProcess.Result shown = history.get(180, TimeUnit.SECONDS);
    assertThat(shown.exitCode()).as(shown.out() + shown.err()).isZero();
    assertThat(shown.err())
        .containsPattern("another bucketload run \\(PID \\d+\\) is using .*orders\\.duckdb")
        .contains("showing the history as of its last commit");
    assertThat(shown.out()).contains("loaded").contains("early.csv").doesNotContain("orders.csv");
    CliProcess.Result waited = patient.get(180, TimeUnit.SECONDS);
    assertThat(waited.exitCode()).as(waited.out() + waited.err()).isZero();
    assertThat(waited.out()).contains("0 loaded, 2 skipped, 0 failed");
    assertThat(waited.err())
        .as("the command line says why it stands still, in a log line that masks the folder")
        .containsPattern(
            "WARN  another bucketload run \\(PID \\d+\\) is using \\*\\*\\*\\*/orders\\.duckdb;"
                + " waiting up to 170s")
        .doesNotContain(dir.toAbsolutePath().toString());
    CliProcess.Result after = CliProcess.run(dir, environment, "runs", "pipeline.yaml");
    assertThat(after.out()).contains("orders.csv").contains("early.csv");
  }
}
