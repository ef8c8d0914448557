package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.bucketload.jdbc.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The example {@code examples/shop-postgres} runs as documented against a real PostgreSQL. */
class ShopPostgresExampleIT {
  private static final Path EXAMPLE =
      Path.of(System.getProperty("user.dir")).getParent().resolve("examples/shop-postgres");

  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  @Test
  void loadsTheDaysSetBuildsAnalyticsAndExportsTheResults() throws Exception {
    copy(EXAMPLE, dir);
    String url = PostgresServer.newDatabase();
    MAIL.setUser("bucketload", "mail-secret");
    Map<String, String> env =
        Map.of(
            "PGURL", url,
            "PGUSER", "postgres",
            "PGPASSWORD", "postgres",
            "NOTIFY_TO", "data-team@example.com",
            "SMTP_HOST", "127.0.0.1",
            "SMTP_PORT", Integer.toString(MAIL.getSmtp().getPort()),
            "SMTP_USER", "bucketload",
            "SMTP_PASSWORD", "mail-secret",
            "SMTP_TLS", "none");

    CliProcess.Result run = CliProcess.run(dir, env, "run", "pipeline.yaml");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("3 loaded, 0 skipped, 0 failed").doesNotContain("postgres@");
    assertThat(run.out()).contains("notified notify[0] (email) email to 1 recipient(s) via");
    assertThat(MAIL.getReceivedMessages()).hasSize(1);
    assertThat(MAIL.getReceivedMessages()[0].getSubject()).isEqualTo("[bucketload] shop: 3 loaded");
    assertThat(GreenMailUtil.getBody(MAIL.getReceivedMessages()[0]))
        .contains("orders_2026-11-20.csv")
        .contains("300 rows read, 300 loaded, 0 rejected");

    List<String> shipments = Files.readAllLines(dir.resolve("landing/shipments_2026-11-20.csv"));
    long emptyDeliveries = shipments.stream().filter(line -> line.endsWith(",")).count();
    assertThat(emptyDeliveries).isPositive();
    assertThat(
            PostgresServer.query(
                url, "SELECT count(*) FROM staging.shipments WHERE delivery_date IS NULL"))
        .containsExactly(String.valueOf(emptyDeliveries));
    assertThat(PostgresServer.query(url, "SELECT count(*) FROM staging.orders"))
        .containsExactly("300");
    List<String> status =
        PostgresServer.query(
            url,
            "SELECT orders, shipped + not_shipped, undelivered, late + on_time + undelivered = shipped"
                + " FROM analytics.shipment_status");
    assertThat(status).containsExactly("300|300|" + emptyDeliveries + "|t");

    List<Path> exports = list(dir.resolve("landing/exports"));
    assertThat(exports)
        .extracting(path -> path.getFileName().toString())
        .allMatch(name -> name.endsWith("-2026-11-20.csv"))
        .anyMatch(name -> name.startsWith("product_performance-"))
        .anyMatch(name -> name.startsWith("shipment_status-"));
    Path performance =
        exports.stream()
            .filter(path -> path.getFileName().toString().startsWith("product_performance-"))
            .findFirst()
            .orElseThrow();
    assertThat(Files.readAllLines(performance).get(0))
        .isEqualTo("product_id,orders,units,revenue,reviews,average_review");

    CliProcess.Result again = CliProcess.run(dir, env, "run", "pipeline.yaml");
    assertThat(again.out()).contains("0 loaded, 3 skipped, 0 failed");
    assertThat(MAIL.getReceivedMessages()).as("no news, no mail").hasSize(1);
    CliProcess.Result runs = CliProcess.run(dir, env, "runs", "pipeline.yaml");
    assertThat(runs.out()).contains("notified notify[0] (email)");

    Files.writeString(
        dir.resolve("landing/orders_2026-11-21.csv"),
        "order_id,customer_id,order_date,product_id,unit_price,quantity,total_price\n"
            + "1,1001,2026-11-21,1,2.00,1,2.00\n");
    CliProcess.Result waiting = CliProcess.run(dir, env, "run", "pipeline.yaml");
    assertThat(waiting.exitCode()).isZero();
    assertThat(waiting.out())
        .contains("waiting  orders_2026-11-21.csv")
        .contains("waiting for reviews_*.csv, shipments_*.csv")
        .contains("1 waiting");
    assertThat(PostgresServer.query(url, "SELECT count(*) FROM staging.orders"))
        .containsExactly("300");
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path relative = from.relativize(file);
        if (relative.toString().contains("exports") || relative.toString().contains("rejected")) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  private static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().toList();
    }
  }
}
