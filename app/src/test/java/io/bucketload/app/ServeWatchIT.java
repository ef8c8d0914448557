package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.jdbc.duckdb.DuckDbQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} watching a folder while a file is written into it in pieces. */
class ServeWatchIT {
  @TempDir Path dir;

  @Test
  void aFileWrittenInPiecesWhileWatchedLoadsOnceAndWhole() throws Exception {
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: orders
        source: {path: landing, settle: 1s}
        target: {path: orders.duckdb, table: orders}
        trigger: {watch: 1s}
        """);
    Path file = dir.resolve("landing/orders.csv");
    Files.writeString(file, "id,amount\n");
    Path out = dir.resolve("serve.out");
    Path err = dir.resolve("serve.err");
    Process serve =
        CliProcess.builder(dir, err, "serve", "pipeline.yaml", "--until-empty")
            .redirectOutput(out.toFile())
            .start();
    // The copy goes on until serve has seen the file still changing: then it stops, and the file
    // must load once, whole.
    int rows = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(out).contains("waiting  orders.csv")) {
      assertThat(System.nanoTime()).as("serve reports the file waiting").isLessThan(deadline);
      assertThat(serve.isAlive()).as("serve still runs: %s", Files.readString(err)).isTrue();
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        lines.append(++rows).append(",1.5\n");
      }
      Files.writeString(file, lines, StandardOpenOption.APPEND);
    }
    assertThat(serve.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String served = Files.readString(err);

    assertThat(serve.exitValue()).as(served).isZero();
    assertThat(served).contains("serving orders from a watch of");
    assertThat(DuckDbQueries.query(dir.resolve("orders.duckdb"), "SELECT count(*) FROM orders"))
        .containsExactly(Integer.toString(rows));
    assertThat(
            DuckDbQueries.query(
                dir.resolve("orders.duckdb"),
                "SELECT count(*) FROM bucketload_ledger WHERE status = 'loaded'"))
        .containsExactly("1");
  }

  @Test
  void theWatchFolderExampleLoadsItsSampleAndStopsWhenNothingIsNew() throws Exception {
    Path example =
        Path.of(System.getProperty("user.dir")).getParent().resolve("examples/watch-folder");
    Files.createDirectories(dir.resolve("landing"));
    Files.copy(example.resolve("pipeline.yaml"), dir.resolve("pipeline.yaml"));
    Files.copy(
        example.resolve("landing/readings-0600.csv"), dir.resolve("landing/readings-0600.csv"));

    CliProcess.Result served = CliProcess.run(dir, "serve", "pipeline.yaml", "--until-empty");

    assertThat(served.exitCode()).as(served.out() + served.err()).isZero();
    assertThat(served.out()).contains("3 rows read, 3 loaded, 0 rejected; 3 inserted");
  }

  @Test
  void betweenLoadsTheDuckDbFileIsFreeForOtherCommands() throws Exception {
    Path out = dir.resolve("serve.out");
    Process serve = serveShared("", out);
    try {
      awaitOutput(serve, out, "loaded   a.csv");

      // Another process queries the file while serve waits for files (serve lets go of it just
      // after printing its report; without that it would hold it for good: exit code 4).
      CliProcess.Result query = countRows();
      CliProcess.Result runs = CliProcess.run(dir, "runs", "pipeline.yaml", "--wait", "10s");
      // The file is let go of, so it may even be removed: the next load starts a new one, ledger
      // included (a.csv, no longer recorded, loads again with b.csv).
      Files.delete(dir.resolve("shared.duckdb"));
      Files.deleteIfExists(dir.resolve("shared.duckdb.wal"));
      Files.writeString(dir.resolve("landing/b.csv"), "id\n3\n");
      awaitOutput(serve, out, "loaded   b.csv");
      CliProcess.Result after = countRows();

      assertThat(query.exitCode()).as(query.err()).isZero();
      assertThat(query.out()).isEqualTo("n\n2\n");
      assertThat(runs.exitCode()).as(runs.err()).isZero();
      assertThat(runs.err()).doesNotContain("as of its last commit");
      assertThat(runs.out()).contains("a.csv");
      assertThat(after.out()).isEqualTo("n\n3\n");
    } finally {
      serve.toHandle().destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void whileAnotherProcessHoldsTheDuckDbFileTheRunsFilesWaitAndLoadOnceItIsFree() throws Exception {
    Path out = dir.resolve("serve.out");
    Process serve = serveShared(", wait: 1s", out);
    try {
      awaitOutput(serve, out, "loaded   a.csv");
      String reported;
      // This process holds the file (DuckDB lets one process open it) while new files land.
      try (java.sql.Connection holder = hold(dir.resolve("shared.duckdb"))) {
        Files.writeString(dir.resolve("landing/b.csv"), "id\n3\n");
        Files.writeString(dir.resolve("landing/c.csv"), "id\n4\n");
        awaitOutput(serve, out, "waiting  c.csv");
        reported = Files.readString(out);
        assertThat(holder.isValid(1)).isTrue();
      }
      awaitOutput(serve, out, "loaded   c.csv");

      String held = reported.substring(reported.indexOf("shared, run", reported.indexOf("a.csv")));
      assertThat(held)
          .contains("waiting  a.csv", "waiting  b.csv", "waiting  c.csv")
          // The holder is this test's JVM, not a bucketload run, and is named as what it is.
          .contains("not tried: another process (PID " + ProcessHandle.current().pid() + ", ")
          .doesNotContain("failed  ");
      assertThat(Files.readString(out)).contains("loaded   b.csv").contains("skipped  a.csv");
      assertThat(countRows().out()).isEqualTo("n\n4\n");
    } finally {
      serve.toHandle().destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * Opens the DuckDB file from this process, holding it against others; waits up to 30 s while
   * another holds it (serve lets go of it just after it printed its report).
   */
  private static java.sql.Connection hold(Path database) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return java.sql.DriverManager.getConnection("jdbc:duckdb:" + database.toAbsolutePath());
      } catch (java.sql.SQLException e) {
        assertThat(String.valueOf(e.getMessage())).contains("Could not set lock");
        assertThat(System.nanoTime()).as("the file is let go of").isLessThan(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
  }

  /**
   * Starts {@code serve} watching landing/ (holding a.csv, 2 rows) every second, loading into table
   * t of shared.duckdb, with {@code targetKeys} added to the target; its standard output to {@code
   * out}.
   */
  private Process serveShared(String targetKeys, Path out) throws Exception {
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(dir.resolve("landing/a.csv"), "id\n1\n2\n");
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: shared
        source: {path: landing, settle: 0s}
        target: {path: shared.duckdb, table: t%s}
        trigger: {watch: 1s}
        """
            .formatted(targetKeys));
    return CliProcess.builder(dir, dir.resolve("serve.err"), "serve", "pipeline.yaml")
        .redirectOutput(out.toFile())
        .start();
  }

  /** Counts table t's rows with {@code query}, waiting up to 10 s for the DuckDB file. */
  private CliProcess.Result countRows() throws Exception {
    return CliProcess.run(
        dir, "query", "pipeline.yaml", "SELECT count(*) AS n FROM t", "--csv", "--wait", "10s");
  }

  /** Waits up to 60 s for {@code text} in serve's standard output. */
  private static void awaitOutput(Process serve, Path out, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(out).contains(text)) {
      assertThat(System.nanoTime()).as("serve prints %s within 60 s", text).isLessThan(deadline);
      assertThat(serve.isAlive()).as("serve still runs").isTrue();
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  @Test
  void valuesFromTheEnvironmentAreMaskedInWhatServeSays() throws Exception {
    Path landing = Files.createDirectories(dir.resolve("secret-landing-folder"));
    Files.writeString(landing.resolve("a.csv"), "id\n1\n");
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: masked
        source: {path: "${LANDING}", settle: 0s}
        target: {path: masked.duckdb, table: t}
        trigger: {watch: 1s}
        """);

    CliProcess.Result served =
        CliProcess.run(
            dir,
            java.util.Map.of("LANDING", landing.toString(), "BUCKETLOAD_LOG_LEVEL", "INFO"),
            "serve",
            "pipeline.yaml",
            "--until-empty");

    assertThat(served.exitCode()).as(served.err()).isZero();
    assertThat(served.out()).contains("1 row read, 1 loaded, 0 rejected");
    assertThat(served.err())
        .contains("serving masked from a watch of ****")
        .contains("1 file(s) under ****");
    assertThat(served.out() + served.err()).doesNotContain("secret-landing-folder");
  }

  @Test
  void aServedPipelineAnswersHealthMetricsAndRunsOverHttp() throws Exception {
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(dir.resolve("landing/a.csv"), "id\n1\n2\n");
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: listened
        source: {path: landing, settle: 0s}
        target: {path: listened.duckdb, table: t}
        trigger: {watch: 1s}
        """);
    Process serve =
        CliProcess.builder(
                dir, dir.resolve("unused.err"), "serve", "pipeline.yaml", "--listen", "127.0.0.1:0")
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String address = null;
    try (java.io.BufferedReader lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                serve.getErrorStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("bucketload: listening on ")) {
          address = line.substring("bucketload: listening on ".length());
          break;
        }
      }
      assertThat(address).as("serve says where it listens").isNotNull();
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      String runs = "[ ]";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (runs.replaceAll("\\s", "").equals("[]")) {
        assertThat(System.nanoTime()).as("a run within 60 s").isLessThan(deadline);
        runs = get(client, address + "/runs").body();
      }
      java.net.http.HttpResponse<String> health = get(client, address + "/health");
      String metrics = get(client, address + "/metrics").body();

      assertThat(runs).contains("\"pipeline\" : \"listened\"").contains("a.csv");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(metrics).contains("bucketload_rows_loaded_total{pipeline=\"listened\"} 2.0");
    } finally {
      serve.toHandle().destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(serve.exitValue()).isZero();
  }

  private static java.net.http.HttpResponse<String> get(java.net.http.HttpClient client, String url)
      throws Exception {
    return client.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
            .timeout(java.time.Duration.ofSeconds(10))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }
}
