package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.jdbc.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code provision} of a PostgreSQL target: its schema and ledger, once. */
class ProvisionPostgresIT {
  @TempDir Path dir;

  @Test
  void theSchemaAndItsLedgerAreMadeOnceAndADryRunMakesNothing() throws Exception {
    String url = PostgresServer.newDatabase();
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: orders
        source: {path: landing}
        target: {type: postgres, url: %s, user: postgres, password: "${PGPASSWORD}", schema: sales}
        """
            .formatted(url));
    Map<String, String> environment = Map.of("PGPASSWORD", "postgres");

    CliProcess.Result planned =
        CliProcess.run(dir, environment, "provision", "pipeline.yaml", "--dry-run");
    assertThat(planned.exitCode()).as(planned.out() + planned.err()).isZero();
    assertThat(planned.out()).contains("would create  schema            sales");
    assertThat(
            PostgresServer.query(
                url,
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'sales'"))
        .containsExactly("0");

    CliProcess.Result made = CliProcess.run(dir, environment, "provision", "pipeline.yaml");
    assertThat(made.out())
        .as(made.out() + made.err())
        .contains("created       schema            sales  (with its ledger table)");
    assertThat(
            PostgresServer.query(
                url,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'sales' AND table_name = 'bucketload_ledger'"))
        .containsExactly("1");

    CliProcess.Result again = CliProcess.run(dir, environment, "provision", "pipeline.yaml");
    assertThat(again.out())
        .contains("unchanged     schema            sales")
        .contains("nothing to change");
  }
}
