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
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a real PostgreSQL: a load killed with SIGKILL mid-COPY and a server
 * connection cut mid-load both commit nothing, and the next run loads the file exactly once.
 */
class PostgresCliIT {
  private static final int ROWS = 1_000_000;
  private static final Map<String, String> ENV = Map.of("PGPASSWORD", "postgres");
  private static final Pattern PROGRESS =
      Pattern.compile("orders\\.csv: (\\d+) rows, ([\\d.]+) of ([\\d.]+) MB");

  @TempDir Path dir;
  String url;

  @BeforeEach
  void setUp() throws IOException {
    url = PostgresServer.newDatabase();
    Files.createDirectories(dir.resolve("landing"));
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("landing/orders.csv"))) {
      out.write("order_id,customer,amount,ordered_on\n");
      for (int i = 0; i < ROWS; i++) {
        out.write(
            i + ",c" + (i % 1000) + "," + (i % 10_000) + ".25,2024-01-0" + (1 + i % 9) + "\n");
      }
    }
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: orders
        source: {path: landing, settle: 0s}
        schema:
          key: [order_id]
          columns:
            - {name: order_id, type: long}
            - {name: customer, type: string}
            - {name: amount, type: "decimal(12,2)"}
            - {name: ordered_on, type: date}
        target:
          type: postgres
          url: %s
          user: postgres
          password: ${PGPASSWORD}
          schema: staging
          table: orders
          mode: %s
        """
            .formatted(url, "append"));
  }

  @Test
  void aLoadKilledMidCopyLeavesNothingAndTheNextRunLoadsEverything() throws Exception {
    Process process = startRun();
    watchProgress(process, 0.0, () -> process.destroyForcibly());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(137);
    assertNothingCommitted();

    CliProcess.Result rerun = CliProcess.run(dir, ENV, "run", "pipeline.yaml");
    assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
    assertLoadedOnce();

    // query finds the table in target.schema (staging) without naming it
    CliProcess.Result counted =
        CliProcess.run(
            dir, ENV, "query", "pipeline.yaml", "SELECT count(*) AS n FROM orders", "--csv");
    assertThat(counted.exitCode()).as(counted.err()).isZero();
    assertThat(counted.out()).isEqualTo("n\n" + ROWS + "\n");
  }

  @Test
  void theServerCuttingTheConnectionMidLoadExitsWithThreeAndTheRetryLoads() throws Exception {
    Process process = startRun();
    String err =
        watchProgress(
            process,
            0.0,
            () -> {
              try {
                PostgresServer.query(
                    url,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name = 'bucketload' AND datname = current_database()");
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(err).isEqualTo(3);
    assertThat(err).doesNotContain("postgres@").doesNotContain("password=");
    assertNothingCommitted();

    CliProcess.Result rerun = CliProcess.run(dir, ENV, "run", "pipeline.yaml");
    assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
    assertLoadedOnce();
    CliProcess.Result again = CliProcess.run(dir, ENV, "run", "pipeline.yaml");
    assertThat(again.out()).contains("0 loaded, 1 skipped, 0 failed");
    assertLoadedOnce();
  }

  private Process startRun() throws IOException {
    Path err = Files.createTempFile(dir, "unused", ".txt");
    ProcessBuilder builder =
        CliProcess.builder(dir, err, "run", "pipeline.yaml", "--progress", "log")
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(ENV);
    return builder.start();
  }

  /** Reads the run's progress lines, acts once past {@code fraction}, returns all of stderr. */
  private static String watchProgress(Process process, double fraction, Runnable action)
      throws IOException {
    List<String> seen = new ArrayList<>();
    boolean acted = false;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        seen.add(line);
        Matcher progress = PROGRESS.matcher(line);
        if (!acted
            && progress.find()
            && Long.parseLong(progress.group(1)) > 0
            && Double.parseDouble(progress.group(2))
                >= fraction * Double.parseDouble(progress.group(3))) {
          action.run();
          acted = true;
        }
      }
    } catch (IOException e) {
      // A killed process's stream closes under the reader.
      assertThat(acted).as("stderr failed before the fault: %s", seen).isTrue();
    }
    assertThat(acted).as("the load ended before the fault: %s", seen).isTrue();
    return String.join("\n", seen);
  }

  private void assertNothingCommitted() throws SQLException {
    assertThat(
            PostgresServer.query(
                url,
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'staging' AND tablename = 'orders'"))
        .containsExactly("0");
  }

  private void assertLoadedOnce() throws SQLException {
    assertThat(PostgresServer.query(url, "SELECT count(*), sum(order_id) FROM staging.orders"))
        .containsExactly(ROWS + "|" + ((long) ROWS * (ROWS - 1) / 2));
    assertThat(
            PostgresServer.query(
                url,
                "SELECT status, count(*) FROM staging.bucketload_ledger GROUP BY status ORDER BY 1"))
        .contains("loaded|1");
  }
}
