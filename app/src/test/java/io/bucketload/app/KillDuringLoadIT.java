package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.jdbc.duckdb.DuckDbQueries;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load killed with SIGKILL (kill -9) in a separate process, while bucketload's reader streams the
 * rows or while DuckDB reads the file itself, leaves no partial rows and no ledger entry; the next
 * run loads the file fully. SIGTERM, while DuckDB reads, ends the run saying nothing was committed.
 */
class KillDuringLoadIT {
  private static final int ROWS = 3_000_000;
  private static final Pattern PROGRESS =
      Pattern.compile("orders\\.csv: (?:\\d+ rows, )?([\\d.]+) of ([\\d.]+) MB");

  @TempDir Path dir;

  @BeforeEach
  void writeLargeFile() throws IOException {
    Files.createDirectories(dir.resolve("landing"));
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("landing/orders.csv"))) {
      out.write("order_id,customer,amount,note,ordered_on\n");
      for (int i = 0; i < ROWS; i++) {
        out.write(
            i
                + ",c"
                + (i % 1000)
                + ","
                + (i % 10_000)
                + ".25,\"note, with \"\"quotes\"\"\",2024-01-0"
                + (1 + i % 9)
                + "\n");
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
            - {name: note, type: string}
            - {name: ordered_on, type: date}
        target: {path: orders.duckdb, table: orders, mode: upsert, direct_read: true}
        """);
  }

  /** Whether DuckDB may read the file itself, or bucketload's reader streams the rows to it. */
  private void directRead(boolean allowed) throws IOException {
    Path pipeline = dir.resolve("pipeline.yaml");
    Files.writeString(
        pipeline,
        Files.readString(pipeline)
            .replaceAll("direct_read: (true|false)", "direct_read: " + allowed));
  }

  @Test
  void aLoadKilledWhileStreamingLeavesNothingAndTheNextRunLoadsEverything() throws Exception {
    directRead(false);
    killAtProgressLine(1);
    assertNothingCommitted();
    killAtProgressLine(2);
    assertNothingCommitted();
    directRead(true);
    // While DuckDB reads the file itself into the staging table.
    killAtProgressLine(1);
    assertNothingCommitted();

    CliProcess.Result rerun = CliProcess.run(dir, "run", "pipeline.yaml");
    assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
    assertThat(query("SELECT count(*), count(DISTINCT order_id), sum(amount) FROM orders"))
        .containsExactly(ROWS + "|" + ROWS + "|" + expectedSum());
    assertThat(query("SELECT status, rows_loaded FROM bucketload_ledger"))
        .containsExactly("loaded|" + ROWS);
  }

  @Test
  void anInterruptedLoadSaysWhatWasNotCommittedAndLeavesNoScratchFiles() throws Exception {
    Path err = Files.createTempFile(dir, "unused", ".txt");
    Process process =
        CliProcess.builder(dir, err, "run", "pipeline.yaml", "--progress", "log")
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> seen = new ArrayList<>();
    boolean signalled = false;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        seen.add(line);
        Matcher progress = PROGRESS.matcher(line);
        if (!signalled && progress.find() && Double.parseDouble(progress.group(1)) > 0) {
          // SIGTERM, as a service manager sends; through the handle, so the output stays readable.
          process.toHandle().destroy();
          signalled = true;
        }
      }
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(signalled).as("the load ended before it could be interrupted: %s", seen).isTrue();
    assertThat(process.exitValue()).isEqualTo(130);
    assertThat(seen).contains("bucketload: interrupted: nothing of orders.csv was committed");
    assertNothingCommitted();
    assertThat(dir.resolve("orders.duckdb.tmp")).doesNotExist();
  }

  /**
   * Kills the run when it reports progress for the {@code nth} time (progress lines come every few
   * seconds, each further into the file).
   */
  private void killAtProgressLine(int nth) throws Exception {
    Path err = Files.createTempFile(dir, "unused", ".txt");
    ProcessBuilder builder =
        CliProcess.builder(dir, err, "run", "pipeline.yaml", "--progress", "log")
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    List<String> seen = new ArrayList<>();
    boolean killed = false;
    int progressLines = 0;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        seen.add(line);
        Matcher progress = PROGRESS.matcher(line);
        if (progress.find()
            && Double.parseDouble(progress.group(1)) > 0
            && ++progressLines == nth) {
          process.destroyForcibly();
          killed = true;
          break;
        }
      }
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(killed).as("the load ended before it could be killed: %s", seen).isTrue();
    assertThat(process.exitValue()).isEqualTo(137);
  }

  private void assertNothingCommitted() throws SQLException {
    assertThat(query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders'"))
        .containsExactly("0");
    assertThat(query("SELECT count(*) FROM bucketload_ledger WHERE status = 'loaded'"))
        .containsExactly("0");
  }

  private static String expectedSum() {
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    for (int i = 0; i < ROWS; i++) {
      sum = sum.add(java.math.BigDecimal.valueOf(i % 10_000)).add(new java.math.BigDecimal("0.25"));
    }
    return sum.toPlainString();
  }

  private List<String> query(String sql) throws SQLException {
    return DuckDbQueries.query(dir.resolve("orders.duckdb"), sql);
  }
}
