package io.bucketload.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.error.Fault;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.target.FileStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File sets, after-load SQL and exports on PostgreSQL. */
class PostgresFileSetIT {
  @TempDir Path dir;
  PgFixture pg;
  Path pipeline;

  @BeforeEach
  void setUp() throws Exception {
    pg = new PgFixture(dir);
    Files.writeString(
        dir.resolve("totals.sql"),
        """
        CREATE SCHEMA IF NOT EXISTS analytics;
        DROP TABLE IF EXISTS analytics.totals;
        CREATE TABLE analytics.totals AS
          SELECT o.customer, count(*) AS orders, sum(o.amount) AS amount,
                 count(s.shipped) AS shipped
          FROM staging.orders o LEFT JOIN staging.shipments s USING (order_id)
          GROUP BY o.customer;
        """,
        StandardCharsets.UTF_8);
    pipeline =
        pg.pipeline(
            """
            name: shop
            source: {path: landing, settle: 0s}
            inputs:
              - name: orders
                match: "orders*.csv"
                schema:
                  key: [order_id]
                  columns:
                    - {name: order_id, type: int}
                    - customer
                    - {name: amount, type: "decimal(10,2)"}
              - name: shipments
                match: "shipments*.csv"
                schema:
                  key: [order_id]
                  columns:
                    - {name: order_id, type: int}
                    - {name: shipped, type: date}
            after_load:
              - file: totals.sql
              - sql: "UPDATE analytics.totals SET customer = upper(customer)"
            exports:
              - name: totals
                query: "SELECT customer, orders, amount, shipped FROM analytics.totals ORDER BY customer"
            """
                + pg.target("schema: staging\nmode: upsert"));
  }

  @Test
  void anIncompleteSetWaitsAndACompleteOneLoadsInOneTransaction() throws Exception {
    pg.file("orders_2026-11-20.csv", "order_id,customer,amount\n1,ann,10.50\n2,bob,5\n3,ann,1\n");
    pg.file("README.txt", "files that are no input are left alone");
    RunReport waiting = pg.run(pipeline);
    assertThat(waiting.files()).extracting(FileReport::status).containsExactly(FileStatus.WAITING);
    assertThat(waiting.files().get(0).note().orElseThrow())
        .contains("waiting for shipments*.csv")
        .contains("'_2026-11-20'");
    assertThat(waiting.worstFault()).isEmpty();
    assertThat(pg.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'staging'"))
        .containsExactly("1");

    pg.file("shipments_2026-11-20.csv", "order_id,shipped\n1,2026-11-21\n2,\n");
    RunReport loaded = pg.run(pipeline);
    assertThat(loaded.files())
        .extracting(FileReport::file, FileReport::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("orders_2026-11-20.csv", FileStatus.LOADED),
            org.assertj.core.groups.Tuple.tuple("shipments_2026-11-20.csv", FileStatus.LOADED));
    assertThat(pg.query("SELECT * FROM staging.shipments ORDER BY order_id"))
        .containsExactly("1|2026-11-21", "2|null");
    assertThat(pg.query("SELECT * FROM analytics.totals ORDER BY customer"))
        .containsExactly("ANN|2|11.50|1", "BOB|1|5.00|0");
    FileReport last = loaded.files().get(1);
    assertThat(last.exports()).hasSize(1);
    Path export = Path.of(last.exports().get(0));
    assertThat(export.getFileName().toString())
        .isEqualTo("totals-" + loaded.runId() + "-2026-11-20.csv");
    assertThat(Files.readString(export))
        .isEqualTo("customer,orders,amount,shipped\nANN,2,11.50,1\nBOB,1,5.00,0\n");
    assertThat(pg.query("SELECT file, status FROM staging.bucketload_ledger ORDER BY file"))
        .containsExactly("orders_2026-11-20.csv|loaded", "shipments_2026-11-20.csv|loaded");

    RunReport again = pg.run(pipeline);
    assertThat(again.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.SKIPPED, FileStatus.SKIPPED);
    assertThat(exports()).hasSize(1);

    // a loaded set missing a file now is skipped, not waiting
    Files.delete(pg.landing.resolve("shipments_2026-11-20.csv"));
    assertThat(pg.run(pipeline).files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.SKIPPED);
  }

  @Test
  void aFailingFileLoadsNothingOfItsSet() throws Exception {
    pg.file("orders.csv", "order_id,customer,amount\n1,ann,10.50\n");
    pg.file("shipments.csv", "order_id,shipped\n1,not a date\n");
    RunReport report = pg.run(pipeline);
    assertThat(report.files()).extracting(FileReport::status).containsOnly(FileStatus.FAILED);
    assertThat(report.files().get(0).error().orElseThrow())
        .isEqualTo("not loaded: shipments.csv failed in the same file set");
    assertThat(report.files().get(1).error().orElseThrow()).contains("1 of 1 rows rejected");
    assertThat(
            pg.query("SELECT count(*) FROM pg_tables WHERE schemaname IN ('staging', 'analytics')"))
        .containsExactly("1");
    assertThat(pg.query("SELECT status, count(*) FROM staging.bucketload_ledger GROUP BY status"))
        .containsExactly("failed|2");
    assertThat(exports()).isEmpty();

    // a corrected shipments file completes the set; the unchanged orders file loads with it
    pg.file("shipments.csv", "order_id,shipped\n1,2026-11-22\n");
    RunReport fixed = pg.run(pipeline);
    assertThat(fixed.files()).extracting(FileReport::status).containsOnly(FileStatus.LOADED);
    assertThat(pg.query("SELECT * FROM analytics.totals")).containsExactly("ANN|1|10.50|1");
  }

  @Test
  void badAfterLoadSqlIsAConfigurationErrorAndRollsTheLoadBack() throws Exception {
    Files.writeString(dir.resolve("totals.sql"), "SELECT * FROM no_such_table;");
    pg.file("orders.csv", "order_id,customer,amount\n1,ann,10.50\n");
    pg.file("shipments.csv", "order_id,shipped\n1,2026-11-22\n");
    RunReport report = pg.run(pipeline);
    assertThat(report.files()).extracting(FileReport::status).containsOnly(FileStatus.FAILED);
    assertThat(report.worstFault()).contains(Fault.CONFIG);
    assertThat(report.files().get(0).error().orElseThrow())
        .contains("after_load SQL (totals.sql)")
        .contains("relation \"no_such_table\" does not exist");
    assertThat(pg.query("SELECT count(*) FROM pg_tables WHERE tablename = 'orders'"))
        .containsExactly("0");
  }

  @Test
  void afterLoadSqlThatFailsOnTheDataIsADataFailureNamingTheStep() throws Exception {
    Files.writeString(dir.resolve("totals.sql"), "SELECT 1 / (count(*) - 1) FROM staging.orders;");
    pg.file("orders.csv", "order_id,customer,amount\n1,ann,10.50\n");
    pg.file("shipments.csv", "order_id,shipped\n1,2026-11-22\n");

    RunReport report = pg.run(pipeline);

    assertThat(report.files()).extracting(FileReport::status).containsOnly(FileStatus.FAILED);
    assertThat(report.worstFault()).contains(Fault.DATA);
    assertThat(report.files().get(0).error().orElseThrow())
        .isEqualTo("after_load SQL (totals.sql): ERROR: division by zero");
  }

  @Test
  void twoFilesForOneInputOfASetFailTheSet() throws Exception {
    Path twoOrders =
        pg.pipeline(Files.readString(pipeline).replace("\"orders*.csv\"", "\"orders*.{csv,txt}\""));
    pg.file("orders_1.csv", "order_id,customer,amount\n1,ann,1\n");
    pg.file("orders_1.txt", "order_id,customer,amount\n1,ann,1\n");
    pg.file("shipments_1.csv", "order_id,shipped\n1,\n");
    RunReport report = pg.run(twoOrders);
    assertThat(report.files()).extracting(FileReport::status).containsOnly(FileStatus.FAILED);
    assertThat(report.files().get(0).error().orElseThrow())
        .contains("has 2 files for input orders (orders_1.csv, orders_1.txt)");
  }

  private List<Path> exports() throws Exception {
    Path folder = pg.landing.resolve("exports");
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }

  @Test
  void aSqlStepJoinsTheSetAndItsResultUpsertsIntoPostgresWithTheQuerysTypes() throws Exception {
    Path joined =
        pg.pipeline(
            """
            name: shipped
            source: {path: landing, settle: 0s}
            inputs:
              - name: orders
                match: "orders*.csv"
                schema:
                  columns:
                    - {name: order_id, type: int}
                    - customer
                    - {name: amount, type: "decimal(10,2)"}
              - name: shipments
                match: "shipments*.csv"
                schema:
                  columns:
                    - {name: order_id, type: int}
                    - {name: shipped, type: timestamp}
            transform:
              - sql: |
                  select o.order_id, o.customer, o.amount, s.shipped,
                         o.amount * 1.2 as gross, s.shipped is not null as sent
                  from orders o left join shipments s using (order_id)
              - add: {loaded_by: "bucketload"}
            schema: {key: [order_id]}
            """
                + pg.target("schema: sales\ntable: shipped\nmode: upsert"));
    pg.file("orders.csv", "order_id,customer,amount\n1,ann,10.50\n2,bob,5\n");
    pg.file("shipments.csv", "order_id,shipped\n1,2026-11-21T10:00:00\n");
    RunReport first = pg.run(joined);
    assertThat(first.files()).extracting(FileReport::status).containsOnly(FileStatus.LOADED);
    assertThat(first.files().get(1).counts().inserted()).hasValue(2);
    assertThat(pg.query("SELECT * FROM sales.shipped ORDER BY order_id"))
        .containsExactly(
            "1|ann|10.50|2026-11-21 10:00:00|12.600|t|bucketload",
            "2|bob|5.00|null|6.000|f|bucketload");
    assertThat(
            pg.query(
                "SELECT column_name, data_type FROM information_schema.columns"
                    + " WHERE table_schema = 'sales' AND table_name = 'shipped'"
                    + " ORDER BY ordinal_position"))
        .containsExactly(
            "order_id|integer",
            "customer|text",
            "amount|numeric",
            "shipped|timestamp without time zone",
            "gross|numeric",
            "sent|boolean",
            "loaded_by|text");

    // order 2 ships: the set loads again, one row updated and one unchanged
    pg.file("shipments.csv", "order_id,shipped\n1,2026-11-21T10:00:00\n2,2026-11-22T08:30:00\n");
    RunReport second = pg.run(joined);
    assertThat(second.files().get(1).counts().updated()).hasValue(1);
    assertThat(second.files().get(1).counts().unchanged()).hasValue(1);
    assertThat(pg.query("SELECT sent FROM sales.shipped ORDER BY order_id"))
        .containsExactly("t", "t");
    assertThat(
            pg.query(
                "SELECT file, count(*) FROM sales.bucketload_ledger WHERE status = 'loaded'"
                    + " GROUP BY file ORDER BY file"))
        .containsExactly("orders.csv|2", "shipments.csv|2");
  }
}
