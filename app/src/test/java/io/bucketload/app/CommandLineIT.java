package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line run as a real process: output, JSON report and exit codes. */
class CommandLineIT {
  private static final String PIPELINE =
      """
      name: customers
      source: {path: landing, settle: 0s}
      schema:
        key: [customer_id]
        columns:
          - {name: customer_id, type: long, required: true}
          - {name: age, type: int}
      target: {path: out/db.duckdb, table: customers, mode: upsert}
      rejects: {max: 1}
      """;

  @TempDir Path dir;

  private Path setUp() throws Exception {
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(dir.resolve("landing/good.csv"), "customer_id,age\n1,30\n2,40\n");
    Files.writeString(dir.resolve("landing/one-bad.csv"), "customer_id,age\n3,x\n4,50\n");
    return Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE);
  }

  @Test
  void runLoadsEveryMatchingFileThenSkipsThemAndWritesAJsonReport() throws Exception {
    setUp();
    CliProcess.Result first =
        CliProcess.run(dir, "run", "pipeline.yaml", "--report", "report.json");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("loaded   good.csv")
        .contains("loaded   one-bad.csv")
        .contains("2 rows read, 1 loaded, 1 rejected")
        .contains("2 loaded, 0 skipped, 0 failed");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.get("pipeline").asText()).isEqualTo("customers");
    JsonNode bad = report.get("files").get(1);
    assertThat(bad.get("file").asText()).isEqualTo("one-bad.csv");
    assertThat(bad.get("status").asText()).isEqualTo("loaded");
    assertThat(bad.get("rows_read").asLong()).isEqualTo(2);
    assertThat(bad.get("rows_loaded").asLong()).isEqualTo(1);
    assertThat(bad.get("rows_rejected").asLong()).isEqualTo(1);
    assertThat(bad.get("inserted").asLong()).isEqualTo(1);
    assertThat(bad.get("version").asText()).startsWith("sha256:");
    assertThat(bad.get("rejects_path").asText()).endsWith("landing/rejected/one-bad.rejects.csv");
    assertThat(bad.get("error").isNull()).isTrue();
    assertThat(bad.get("duration_ms").isNumber()).isTrue();

    CliProcess.Result second = CliProcess.run(dir, "run", "pipeline.yaml");
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).contains("0 loaded, 2 skipped, 0 failed");

    CliProcess.Result runs = CliProcess.run(dir, "runs", "pipeline.yaml", "--json");
    assertThat(runs.exitCode()).isZero();
    assertThat(new ObjectMapper().readTree(runs.out())).hasSize(2);
  }

  @Test
  void aFailedFileExitsWithOne() throws Exception {
    setUp();
    Files.writeString(dir.resolve("landing/no-key.csv"), "name,age\nTom,1\n");
    CliProcess.Result result = CliProcess.run(dir, "run", "pipeline.yaml", "landing/no-key.csv");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out())
        .contains("error: no-key.csv: missing column 'customer_id' (schema.key)");
  }

  @Test
  void aConfigurationErrorExitsWithTwoNamingTheLine() throws Exception {
    setUp();
    Files.writeString(dir.resolve("bad.yaml"), PIPELINE.replace("mode: upsert", "mode: upsertt"));
    CliProcess.Result result = CliProcess.run(dir, "run", "bad.yaml");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("bucketload: bad.yaml line 8: target.mode: unknown value 'upsertt'");
    assertThat(CliProcess.run(dir, "run").exitCode()).isEqualTo(2);
    assertThat(CliProcess.run(dir, "frobnicate").exitCode()).isEqualTo(2);
  }

  @Test
  void aTargetThatCannotBeOpenedExitsWithThree() throws Exception {
    setUp();
    Files.createDirectories(dir.resolve("out"));
    Files.writeString(dir.resolve("out/db.duckdb"), "this is not a database");
    CliProcess.Result result = CliProcess.run(dir, "run", "pipeline.yaml");
    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(3);
    assertThat(result.err()).contains("opening DuckDB file");
  }

  @Test
  void usageMistakesExitWithTwoAndHelpWorksOnEveryCommand() throws Exception {
    setUp();
    assertThat(CliProcess.run(dir, "run", "--help").exitCode()).isZero();
    assertThat(CliProcess.run(dir, "run", "--version").out()).startsWith("bucketload ");
    Files.writeString(dir.resolve("landing/broken.txt"), "a,b\n1,\"open\n");
    CliProcess.Result broken = CliProcess.run(dir, "infer", "landing/broken.txt");
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.err())
        .contains("broken.txt line 2: a quoted field starting on this line is never closed");
    assertThat(CliProcess.run(dir, "infer", "missing.csv").exitCode()).isEqualTo(2);
    assertThat(CliProcess.run(dir, "infer", "landing/good.csv", "--key", "nope").exitCode())
        .isEqualTo(2);
    Files.writeString(
        dir.resolve("nofolder.yaml"), PIPELINE.replace("path: landing", "path: nope"));
    CliProcess.Result missingFolder = CliProcess.run(dir, "run", "nofolder.yaml");
    assertThat(missingFolder.exitCode()).isEqualTo(2);
    assertThat(missingFolder.err()).contains("source.path: no such folder");
    CliProcess.Result traced = CliProcess.run(dir, "run", "--stacktrace", "nofolder.yaml");
    assertThat(traced.err()).contains("at io.bucketload.");
    CliProcess.Result tracedFirst = CliProcess.run(dir, "--stacktrace", "run", "nofolder.yaml");
    assertThat(tracedFirst.exitCode()).isEqualTo(2);
    assertThat(tracedFirst.err()).contains("at io.bucketload.");
  }

  @Test
  void theHelpAndUsageMistakesKnowEverySubcommand() throws Exception {
    setUp();
    CliProcess.Result help = CliProcess.run(dir, "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("quickstart", "validate", "infer", "runs", "serve", "provision", "teardown");
    assertThat(CliProcess.run(dir, "--help", "run").out())
        .contains("Usage: bucketload [")
        .contains("validate", "teardown");
    assertThat(CliProcess.run(dir, "help", "infer").out()).contains("Usage: bucketload infer");
    CliProcess.Result typo = CliProcess.run(dir, "valdate", "pipeline.yaml");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).contains("'valdate'").contains("Did you mean: bucketload validate");
  }

  @Test
  void logLinesAppearOnStandardErrorAtTheLevelTheEnvironmentAsks() throws Exception {
    setUp();
    CliProcess.Result quiet = CliProcess.run(dir, "validate", "pipeline.yaml");
    assertThat(quiet.err()).doesNotContain("INFO");
    CliProcess.Result told =
        CliProcess.run(dir, Map.of("BUCKETLOAD_LOG_LEVEL", "INFO"), "run", "pipeline.yaml");
    assertThat(told.exitCode()).as(told.err()).isZero();
    assertThat(told.err())
        .containsPattern(
            "(?m)^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  \\[customers\\] 2 file\\(s\\) under ");
    assertThat(told.out()).doesNotContain("INFO");
  }

  @Test
  void runsDoesNotCreateADatabase() throws Exception {
    setUp();
    CliProcess.Result runs = CliProcess.run(dir, "runs", "pipeline.yaml");
    assertThat(runs.exitCode()).isZero();
    assertThat(runs.out()).contains("no runs recorded for pipeline customers");
    assertThat(dir.resolve("out")).doesNotExist();

    CliProcess.Result both =
        CliProcess.run(dir, "runs", "pipeline.yaml", "--json", "--html", "runs.html");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--json and --html are alternatives: give one");
    assertThat(dir.resolve("runs.html")).doesNotExist();

    // Where the page cannot go is the command line's mistake, said before anything is read.
    CliProcess.Result folder = CliProcess.run(dir, "runs", "pipeline.yaml", "--html", ".");
    CliProcess.Result nowhere =
        CliProcess.run(dir, "runs", "pipeline.yaml", "--html", "missing/runs.html");
    assertThat(folder.exitCode()).isEqualTo(2);
    assertThat(folder.err()).contains("--html: . is a folder; give a file, e.g. history.html");
    assertThat(nowhere.exitCode()).isEqualTo(2);
    assertThat(nowhere.err()).contains("--html: no such folder ").contains("missing");
  }

  @Test
  void aFileNameWithControlCharactersIsShownEscapedEverywhere() throws Exception {
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(dir.resolve("landing/a\u001b[31m\nloaded   b.csv"), "id\n1\n");
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        "name: names\nsource: {path: landing, settle: 0s}\ntarget: {path: n.duckdb, table: t}\n");

    CliProcess.Result run = CliProcess.run(dir, "run", "pipeline.yaml", "--progress", "log");
    CliProcess.Result runs = CliProcess.run(dir, "runs", "pipeline.yaml");

    assertThat(run.exitCode()).as(run.err()).isZero();
    for (String said : java.util.List.of(run.out(), run.err(), runs.out())) {
      assertThat(said).contains("a\\u001b[31m\\nloaded   b.csv").doesNotContain("\u001b");
    }
    assertThat(run.out().lines().filter(line -> line.contains("loaded   b.csv")))
        .as("the name cannot pass for a second line of the report")
        .containsExactly("  loaded   a\\u001b[31m\\nloaded   b.csv");
  }

  @Test
  void queryPrintsATableOrCsvAndKeepsNothingTheSqlDoes() throws Exception {
    setUp();
    CliProcess.Result before = CliProcess.run(dir, "query", "pipeline.yaml", "SELECT 1 AS x");
    assertThat(before.exitCode()).isEqualTo(2);
    assertThat(before.err()).contains("does not exist yet; run the pipeline first");
    assertThat(dir.resolve("out")).doesNotExist();
    CliProcess.run(dir, "run", "pipeline.yaml");

    CliProcess.Result table =
        CliProcess.run(
            dir,
            "query",
            "pipeline.yaml",
            "SELECT customer_id, age FROM customers ORDER BY customer_id",
            "--limit",
            "2");
    CliProcess.Result csv =
        CliProcess.run(
            dir, "query", "pipeline.yaml", "SELECT customer_id FROM customers ORDER BY 1", "--csv");
    CliProcess.Result delete =
        CliProcess.run(dir, "query", "pipeline.yaml", "DELETE FROM customers");
    CliProcess.Result copy =
        CliProcess.run(
            dir, "query", "pipeline.yaml", "/* out */ COPY customers TO 'copied.csv' (HEADER)");
    CliProcess.Result wrong = CliProcess.run(dir, "query", "pipeline.yaml", "SELECT * FROM nope");
    CliProcess.Result uncastable =
        CliProcess.run(dir, "query", "pipeline.yaml", "SELECT CAST('x' AS INTEGER) AS n");
    CliProcess.Result two =
        CliProcess.run(
            dir, "query", "pipeline.yaml", "DELETE FROM customers; SELECT count(*) FROM customers");
    CliProcess.Result after =
        CliProcess.run(
            dir, "query", "pipeline.yaml", "SELECT count(*) AS n FROM customers", "--csv");
    CliProcess.Result escapes =
        CliProcess.run(
            dir,
            "query",
            "pipeline.yaml",
            "SELECT 'a' || chr(27) || '[2J' || chr(10) || 'b' AS \"x\u0007\"");

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out())
        .isEqualTo(
            "customer_id  age\n1            30\n2            40\n(3 rows; first 2 shown, see --limit or --csv)\n");
    assertThat(csv.out()).isEqualTo("customer_id\n1\n2\n4\n");
    // What a value holds that a terminal would obey (clear the screen, ring) is shown escaped.
    assertThat(escapes.out()).isEqualTo("x\\u0007\na\\u001b[2J\\nb\n(1 row)\n");
    assertThat(delete.exitCode()).isEqualTo(2);
    assertThat(delete.err())
        .contains(
            "the command line: DELETE is not a query; query runs one SELECT (or WITH, FROM, VALUES,"
                + " TABLE, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN), and nothing that writes outside"
                + " the database");
    // Refused before it runs: a file it would write is not written.
    assertThat(copy.exitCode()).isEqualTo(2);
    assertThat(copy.err()).contains("COPY is not a query");
    assertThat(dir.resolve("copied.csv")).doesNotExist();
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).startsWith("bucketload: query: ").contains("nope");
    assertThat(uncastable.exitCode()).isEqualTo(2);
    assertThat(uncastable.err()).startsWith("bucketload: query: Conversion Error");
    assertThat(two.exitCode()).isEqualTo(2);
    assertThat(two.err())
        .contains(
            "the command line: the SQL holds 2 statements; give one query (the others would run"
                + " without showing their results)");
    assertThat(after.out()).isEqualTo("n\n3\n");
  }

  @Test
  void queryShowsNullsEmptyTextAndTimestampsAsTheDatabaseWritesThem() throws Exception {
    setUp();
    CliProcess.run(dir, "run", "pipeline.yaml");
    String sql =
        "SELECT NULL AS n, '' AS e, TIMESTAMP '2024-03-02 06:00:00' AS t,"
            + " TIMESTAMP '2024-03-02 06:00:00.25' AS f, TIME '06:00:00' AS tm";

    CliProcess.Result table = CliProcess.run(dir, "query", "pipeline.yaml", sql);
    CliProcess.Result csv = CliProcess.run(dir, "query", "pipeline.yaml", sql, "--csv");
    CliProcess.Result onlyNull =
        CliProcess.run(dir, "query", "pipeline.yaml", "SELECT NULL AS x UNION ALL SELECT 'a'");

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out())
        .isEqualTo(
            "n     e  t                    f                       tm\n"
                + "NULL     2024-03-02 06:00:00  2024-03-02 06:00:00.25  06:00:00\n"
                + "(1 row)\n");
    assertThat(csv.out())
        .isEqualTo("n,e,t,f,tm\n,\"\",2024-03-02 06:00:00,2024-03-02 06:00:00.25,06:00:00\n");
    assertThat(onlyNull.exitCode()).as(onlyNull.err()).isZero();
    assertThat(onlyNull.out()).isEqualTo("x\nNULL\na\n(2 rows)\n");
  }

  @Test
  void aMisspelledSourceOrTargetKeyListsEveryKeyOfTheSection() throws Exception {
    setUp();
    Files.writeString(
        dir.resolve("source.yaml"), "name: k\nsource: {path: landing, mtach: \"*.csv\"}\n");
    Files.writeString(
        dir.resolve("target.yaml"),
        "name: k\nsource: {path: landing}\ntarget: {path: x.duckdb, tabel: t}\n");

    Files.writeString(
        dir.resolve("scheme.yaml"), "name: k\nsource: {path: \"S3://landing/in/\"}\n");

    CliProcess.Result source = CliProcess.run(dir, "validate", "source.yaml");
    CliProcess.Result target = CliProcess.run(dir, "validate", "target.yaml");
    CliProcess.Result scheme = CliProcess.run(dir, "validate", "scheme.yaml");

    assertThat(source.exitCode()).isEqualTo(2);
    assertThat(source.err())
        .isEqualTo(
            "bucketload: source.yaml line 2: source.mtach: unknown key for this source; expected"
                + " one of failed, match, output, path, read_threads, ready, rejected, settle\n");
    assertThat(target.exitCode()).isEqualTo(2);
    assertThat(target.err())
        .contains("target.yaml line 3: target.tabel: unknown key for this target; expected one of")
        .contains(" mode, path, ")
        .contains(" table, ")
        .contains(" type,");
    assertThat(scheme.exitCode()).isEqualTo(2);
    assertThat(scheme.err())
        .isEqualTo(
            "bucketload: scheme.yaml: source.path: 'S3://' is written in lower case: s3://..."
                + " (S3://landing/in/)\n");
  }

  @Test
  void aTableNameTheDatabaseWouldNotKeepAsWrittenIsRefusedBeforeAnyFileIsRead() throws Exception {
    setUp();
    Files.writeString(
        dir.resolve("dotted.yaml"),
        "name: k\nsource: {path: landing}\ntarget: {path: x.duckdb, table: sales.orders}\n");
    Files.writeString(
        dir.resolve("long.yaml"),
        "name: k\nsource: {path: landing}\ntarget:\n  type: postgres\n"
            + "  url: jdbc:postgresql://127.0.0.1:1/x\n  table: "
            + "t".repeat(64)
            + "\n");

    CliProcess.Result dotted = CliProcess.run(dir, "validate", "dotted.yaml");
    CliProcess.Result tooLong = CliProcess.run(dir, "validate", "long.yaml");

    assertThat(dotted.exitCode()).isEqualTo(2);
    assertThat(dotted.err())
        .contains("dotted.yaml line 3: target.table: 'sales.orders' would be one table")
        .contains("schema: sales, table: orders");
    assertThat(tooLong.exitCode()).isEqualTo(2);
    assertThat(tooLong.err())
        .contains("long.yaml line 4: target.table: ")
        .contains("is 64 bytes; the database keeps 63 bytes of a name");
    assertThat(dir.resolve("landing/rejected")).doesNotExist();
  }

  @Test
  void validateLoadsNothing() throws Exception {
    setUp();
    CliProcess.Result result = CliProcess.run(dir, "validate", "pipeline.yaml");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("valid    good.csv").contains("2 valid (dry run)");
    assertThat(dir.resolve("out/db.duckdb")).doesNotExist();
    assertThat(dir.resolve("landing/rejected/one-bad.rejects.csv")).exists();
  }

  @Test
  void inferPrintsARunnablePipelineWhoseTypesFitTheWholeFile() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    StringBuilder csv = new StringBuilder("id,zip,amount,born,flag,note\n");
    for (int i = 1; i <= 5000; i++) {
      csv.append(i)
          .append(",0")
          .append(1000 + i)
          .append(',')
          .append(i)
          .append(".5,")
          .append("17-04-1987,")
          .append(i % 2 == 0 ? "yes" : "no")
          .append(",x\n");
    }
    csv.append("5001,02000,3.25,01-01-2000,no,\n");
    Files.writeString(dir.resolve("data/orders.csv"), csv);
    CliProcess.Result result =
        CliProcess.run(dir, "infer", "data/orders.csv", "--key", "id", "--output", "orders.yaml");
    assertThat(result.exitCode()).as(result.err()).isZero();
    String yaml = Files.readString(dir.resolve("orders.yaml"));
    assertThat(yaml)
        .contains("key: [id]")
        .contains("- {name: id, type: int, required: true}")
        .contains("- {name: zip, type: string}")
        .contains("- {name: amount, type: \"decimal(18,2)\"}")
        .contains("- {name: born, type: date, format: \"dd-MM-yyyy\"}")
        .contains("- {name: flag, type: boolean}")
        .contains("mode: upsert");
    CliProcess.Result load = CliProcess.run(dir, "run", "orders.yaml");
    assertThat(load.exitCode()).as(load.out() + load.err()).isZero();
    assertThat(load.out()).contains("5001 rows read, 5001 loaded, 0 rejected");
  }

  @Test
  void quickstartCreatesSamplesLoadsThemAndExplainsTheOutcome() throws Exception {
    CliProcess.Result result = CliProcess.run(dir, "quickstart", "--dir", "qs");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .contains("loaded   customers.csv")
        .contains("loaded   customers_update.csv")
        .contains("3 rejected")
        .contains("failed   orders_export.csv")
        .contains("missing column 'customer_id' (schema.key)")
        .contains("A few rows of table customers")
        .containsPattern("(?m)^  customer_id  name +email +age +date_of_birth")
        .containsPattern("(?m)^  1005 +Okafor, Ada +ada.okafor@example.com +41 ")
        .contains("Try next:");
    assertThat(dir.resolve("qs/quickstart.duckdb")).exists();
    CliProcess.Result again = CliProcess.run(dir, "quickstart", "--dir", "qs");
    assertThat(again.out()).contains("2 skipped");
  }
}
