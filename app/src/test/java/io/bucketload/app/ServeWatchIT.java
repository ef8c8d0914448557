package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.jdbc.duckdb.DuckDbQueries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    AtomicInteger rows = new AtomicInteger();
    Thread copy =
        new Thread(
            () -> {
              try {
                for (int piece = 0; piece < 40; piece++) {
                  StringBuilder lines = new StringBuilder();
                  for (int i = 0; i < 100; i++) {
                    lines.append(rows.incrementAndGet()).append(",1.5\n");
                  }
                  Files.writeString(file, lines, StandardOpenOption.APPEND);
                  Thread.sleep(100);
                }
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    copy.start();

    CliProcess.Result served = CliProcess.run(dir, "serve", "pipeline.yaml", "--until-empty");
    copy.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(served.exitCode()).as(served.out() + served.err()).isZero();
    assertThat(served.err()).contains("serving orders from a watch of");
    assertThat(DuckDbQueries.query(dir.resolve("orders.duckdb"), "SELECT count(*) FROM orders"))
        .containsExactly(Integer.toString(rows.get()));
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
}
