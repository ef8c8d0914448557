package io.bucketload.jdbc.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.error.Fault;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.target.FileStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sql} transform step over file sets and single files, into DuckDB. */
class SqlStepIT {
  @TempDir Path dir;
  LoadFixture fixture;

  static final String COVID =
      """
      name: covid
      source: {path: landing, settle: 0s}
      inputs:
        - name: us
          match: "us*.csv"
          schema:
            columns:
              - {name: date, type: date, required: true}
              - {name: cases, type: long}
              - {name: deaths, type: long}
        - name: recovered
          match: "recovered*.csv"
          rejects: {max: 5}
          schema:
            columns:
              - {name: Date, type: date}
              - {name: Country/Region, type: string}
              - {name: Recovered, type: long}
      transform:
        - sql: |
            select us.date, us.cases, us.deaths, r."Recovered" as recovered
            from us join recovered r on r."Date" = us.date
            where r."Country/Region" = 'US'
            order by us.date;
      schema: {key: [date]}
      target: {path: test.duckdb, table: covid_us, mode: insert_new}
      """;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new LoadFixture(dir);
  }

  @Test
  void aJoinOfTwoInputsLoadsOnceAndAChangedInputLoadsTheSetAgainUnderItsMode() throws Exception {
    Path pipeline = fixture.pipeline(COVID);
    fixture.file("us.csv", "date,cases,deaths\n2020-03-01,10,1\n2020-03-02,20,2\n");
    fixture.file(
        "recovered.csv",
        "Date,Country/Region,Recovered\n"
            + "2020-03-01,US,0\n2020-03-01,France,4\n2020-03-02,US,1\n2020-03-03,US,2\n");

    RunReport first = fixture.run(pipeline);
    assertThat(first.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.LOADED, FileStatus.LOADED);
    FileReport last = first.files().get(1);
    assertThat(last.counts().inserted()).hasValue(2);
    assertThat(last.warnings())
        .anyMatch(note -> note.contains("over us 2 row(s), recovered 4 row(s) gave 2 row(s)"));
    assertThat(fixture.query("SELECT * FROM covid_us ORDER BY date"))
        .containsExactly("2020-03-01|10|1|0", "2020-03-02|20|2|1");
    assertThat(
            fixture.query(
                "SELECT column_name, data_type FROM information_schema.columns"
                    + " WHERE table_name = 'covid_us' ORDER BY ordinal_position"))
        .containsExactly("date|DATE", "cases|BIGINT", "deaths|BIGINT", "recovered|BIGINT");

    RunReport again = fixture.run(pipeline);
    assertThat(again.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.SKIPPED, FileStatus.SKIPPED);

    // a day added to one input: the whole set is read again, insert_new adds the new day only
    fixture.file(
        "us.csv", "date,cases,deaths\n2020-03-01,10,1\n2020-03-02,20,2\n2020-03-03,30,3\n");
    RunReport third = fixture.run(pipeline);
    assertThat(third.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.LOADED, FileStatus.LOADED);
    assertThat(third.files().get(1).warnings())
        .anyMatch(note -> note.contains("read again for the sql step because us.csv"));
    assertThat(third.files().get(1).counts().inserted()).hasValue(1);
    assertThat(third.files().get(1).counts().unchanged()).hasValue(2);
    assertThat(fixture.count("covid_us")).isEqualTo(3);
    assertThat(
            fixture.query(
                "SELECT file, count(*) FROM bucketload_ledger WHERE status = 'loaded'"
                    + " GROUP BY file ORDER BY file"))
        .containsExactly("recovered.csv|2", "us.csv|2");
    assertThat(fixture.run(pipeline).files())
        .extracting(FileReport::status)
        .containsOnly(FileStatus.SKIPPED);
  }

  @Test
  void rowsAreValidatedBeforeTheQuerySeesThemAndRejectsKeepTheirFileAndLine() throws Exception {
    Path pipeline = fixture.pipeline(COVID);
    fixture.file("us.csv", "date,cases,deaths\n2020-03-01,10,1\n2020-03-02,20,2\n");
    fixture.file(
        "recovered.csv", "Date,Country/Region,Recovered\n2020-03-01,US,0\n2020-03-02,US,lots\n");
    RunReport report = fixture.run(pipeline);
    assertThat(report.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.LOADED, FileStatus.LOADED);
    FileReport recovered = report.files().get(1);
    assertThat(recovered.stats().rowsRejected()).isEqualTo(1);
    assertThat(fixture.query("SELECT date FROM covid_us")).containsExactly("2020-03-01");
    Path rejects = Path.of(recovered.stats().rejectsPath().orElseThrow());
    assertThat(rejects.getFileName().toString()).startsWith("recovered");
    assertThat(Files.readString(rejects)).contains("3,Recovered,lots,not a long");

    // over the input's reject limit: the set loads nothing
    fixture.file(
        "recovered.csv",
        "Date,Country/Region,Recovered\n2020-03-01,US,0\n"
            + "x,US,1\nx,US,1\nx,US,1\nx,US,1\nx,US,1\nx,US,1\n");
    RunReport over = fixture.run(pipeline);
    assertThat(over.files())
        .extracting(FileReport::status)
        .as("us.csv did not change: its loaded version stays")
        .containsExactly(FileStatus.SKIPPED, FileStatus.FAILED);
    assertThat(over.files().get(1).error().orElseThrow()).contains("over rejects.max");
    assertThat(fixture.count("covid_us")).isEqualTo(1);
  }

  @Test
  void aQueryTheWorkspaceRefusesIsAConfigurationErrorFoundBeforeAnyFileIsRead() throws Exception {
    Path pipeline =
        fixture.pipeline(COVID.replace("r.\"Recovered\" as recovered", "r.recoverd as recovered"));
    assertThatThrownBy(() -> PipelineSetup.read(pipeline))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pipeline.yaml line 20: the sql step's query is refused")
        .hasMessageContaining("recoverd");

    Path keyed = fixture.pipeline(COVID.replace("key: [date]", "key: [day]"));
    assertThatThrownBy(() -> PipelineSetup.read(keyed))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.key: column 'day' is not a column of the sql step's result")
        .hasMessageContaining("date, cases, deaths, recovered");

    Path nested =
        fixture.pipeline(
            COVID.replace(
                "r.\"Recovered\" as recovered", "list_value(r.\"Recovered\") as recovered"));
    assertThatThrownBy(() -> PipelineSetup.read(nested))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("column 'recovered' of the sql step's result is of type BIGINT[]");
  }

  @Test
  void withColumnsFromTheHeaderAWrongQueryIsRefusedWhenTheFilesAreReadAndLoadsNothing()
      throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: totals
            source: {path: landing, settle: 0s}
            transform:
              - sql: select customer, sum(amount) as total from input group by custmer
            target: {path: test.duckdb, table: totals, mode: replace}
            """);
    PipelineSetup.read(pipeline);
    fixture.file("orders.csv", "customer,amount\nann,1\n");
    RunReport report = fixture.run(pipeline);
    assertThat(report.files()).extracting(FileReport::status).containsExactly(FileStatus.FAILED);
    assertThat(report.files().get(0).error().orElseThrow())
        .contains("the sql step's query is refused by the workspace")
        .contains("custmer");
    assertThat(report.worstFault()).contains(Fault.CONFIG);
    assertThat(fixture.query("SELECT count(*) FROM bucketload_ledger WHERE status = 'loaded'"))
        .containsExactly("0");
  }

  @Test
  void aSingleFileIsTheTableInputAndRowStepsAfterTheQueryShapeItsResult() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: totals
            source: {path: landing, settle: 0s}
            schema:
              key: [customer_id]
              columns:
                - {name: customer, type: string, required: true}
                - {name: amount, type: "decimal(10,2)"}
            transform:
              - add: {doubled: {expr: "amount * 2"}}
              - sql:
                  query: |
                    select customer, sum(amount) as total, sum(doubled) as doubled,
                           count(*) as orders, sum(amount)::hugeint as whole
                    from input group by customer order by customer
                  memory_limit: 64MB
                  threads: 1
              - rename: {customer: customer_id}
              - filter: "orders > 1"
              - add: {label: {expr: "upper(customer_id) || '-' || orders"}}
            target: {path: test.duckdb, table: totals, mode: replace}
            """);
    PipelineSetup.read(pipeline);
    fixture.file("orders.csv", "customer,amount\nann,1.50\nbob,2\nann,3.25\n");
    RunReport report = fixture.run(pipeline);
    assertThat(report.files()).extracting(FileReport::status).containsExactly(FileStatus.LOADED);
    assertThat(report.files().get(0).warnings())
        .anyMatch(note -> note.contains("gave 2 row(s), 1 filtered after it"));
    assertThat(fixture.query("SELECT * FROM totals"))
        .containsExactly("ann|4.75|9.5000000000|2|5|ANN-2");
    assertThat(
            fixture.query(
                "SELECT column_name, data_type FROM information_schema.columns"
                    + " WHERE table_name = 'totals' ORDER BY ordinal_position"))
        .containsExactly(
            "customer_id|VARCHAR",
            "total|DECIMAL(38,2)",
            "doubled|DECIMAL(38,10)",
            "orders|BIGINT",
            "whole|DECIMAL(38,0)",
            "label|VARCHAR");
  }

  @Test
  void resultRowsThatCannotLoadFailTheSetAndLoadNothing() throws Exception {
    fixture.file("us.csv", "date,cases,deaths\n2020-03-01,10,1\n");
    fixture.file("recovered.csv", "Date,Country/Region,Recovered\n2020-03-01,US,0\n");
    Path nullKey = fixture.pipeline(COVID.replace("select us.date,", "select null::date as date,"));
    RunReport missingKey = fixture.run(nullKey);
    assertThat(missingKey.files()).extracting(FileReport::status).containsOnly(FileStatus.FAILED);
    assertThat(missingKey.files().get(1).error().orElseThrow())
        .contains("row 1 of the sql step's result cannot load: key column 'date' has no value");
    assertThat(missingKey.worstFault()).contains(Fault.DATA);

    Path badCast =
        fixture.pipeline(
            COVID.replace("r.\"Recovered\" as recovered", "cast('n/a' as int) as recovered"));
    RunReport cast = fixture.run(badCast);
    assertThat(cast.files()).extracting(FileReport::status).containsOnly(FileStatus.FAILED);
    assertThat(cast.files().get(1).error().orElseThrow())
        .contains("the sql step's query failed on the inputs' values");
    assertThat(
            fixture.query(
                "SELECT count(*) FROM information_schema.tables"
                    + " WHERE table_name = 'covid_us'"))
        .containsExactly("0");
  }

  @Test
  void aDryRunRunsTheQueryAndWritesNothing() throws Exception {
    Path pipeline = fixture.pipeline(COVID);
    fixture.file("us.csv", "date,cases,deaths\n2020-03-01,10,1\n");
    fixture.file("recovered.csv", "Date,Country/Region,Recovered\n2020-03-01,US,0\n");
    RunReport report = fixture.validate(pipeline);
    assertThat(report.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.VALID, FileStatus.VALID);
    assertThat(report.files().get(1).warnings())
        .anyMatch(note -> note.contains("over us 1 row(s), recovered 1 row(s) gave 1 row(s)"));
    assertThat(Files.exists(fixture.database)).isFalse();
  }

  @Test
  void stepsThatCannotBeAreRefusedWithTheirLine() throws Exception {
    for (List<String> bad :
        List.of(
            List.of(
                "schema: {key: [date]}",
                "schema: {key: [date], columns: [date]}",
                "pipeline.yaml line 25: schema.columns: with inputs, each input declares its own"
                    + " schema.columns"),
            List.of(
                "  - name: recovered\n",
                "  - name: recovered\n    mode: upsert\n",
                "pipeline.yaml line 12: inputs[1].mode: with a sql step, each input is a table of"
                    + " its workspace"),
            List.of(
                "schema: {key: [date]}",
                "schema: {}",
                "pipeline.yaml line 26: target.mode: insert_new needs schema.key: the columns of"
                    + " the sql step's result"),
            List.of(
                COVID.substring(COVID.indexOf("transform:"), COVID.indexOf("schema: {key")),
                "transform:\n  - sql: {memory_limit: lots, query: select * from us}\n",
                "pipeline.yaml line 20: transform[0].sql.memory_limit: expected a size such as"
                    + " 512MB"))) {
      Path pipeline = fixture.pipeline(COVID.replace(bad.get(0), bad.get(1)));
      assertThatThrownBy(() -> PipelineSetup.read(pipeline))
          .as(bad.get(1))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(bad.get(2));
    }
  }

  @Test
  void inAppendAChangedInputAddsTheWholeResultAgainAndSaysSo() throws Exception {
    Path pipeline =
        fixture.pipeline(
            COVID.replace("mode: insert_new", "mode: append").replace("schema: {key: [date]}", ""));
    fixture.file("us.csv", "date,cases,deaths\n2020-03-01,10,1\n");
    fixture.file("recovered.csv", "Date,Country/Region,Recovered\n2020-03-01,US,0\n");
    fixture.run(pipeline);
    fixture.file("us.csv", "date,cases,deaths\n2020-03-01,11,1\n");
    RunReport again = fixture.run(pipeline);
    assertThat(again.files().get(1).warnings())
        .anyMatch(note -> note.contains("mode append added the whole result again"));
    assertThat(fixture.query("SELECT cases FROM covid_us ORDER BY cases"))
        .containsExactly("10", "11");
  }

  @Test
  void aFailureOfTheSetLeavesItsUnchangedFilesLoadedAndADataFailureOfTheQueryIsFinal()
      throws Exception {
    Path pipeline =
        fixture.pipeline(
            COVID.replace(
                "r.\"Recovered\" as recovered",
                "cast(case when us.cases > 10 then 'n/a' else '0' end as int) as recovered"));
    fixture.file("us.csv", "date,cases,deaths\n2020-03-01,10,1\n");
    fixture.file("recovered.csv", "Date,Country/Region,Recovered\n2020-03-01,US,0\n");
    assertThat(fixture.run(pipeline).files())
        .extracting(FileReport::status)
        .containsOnly(FileStatus.LOADED);

    // the changed file makes the query fail on its values: recovered.csv stays loaded
    fixture.file("us.csv", "date,cases,deaths\n2020-03-01,12,1\n");
    RunReport failed = fixture.run(pipeline);
    assertThat(failed.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.FAILED, FileStatus.SKIPPED);
    assertThat(failed.files().get(1).warnings())
        .anyMatch(note -> note.startsWith("not loaded again with its file set: "));
    assertThat(failed.worstFault()).contains(Fault.DATA);

    // the same versions are not read again: the failure is final until a file changes
    RunReport again = fixture.run(pipeline);
    assertThat(again.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.FAILED, FileStatus.SKIPPED);
    assertThat(again.files().get(0).error().orElseThrow()).contains("failed before");
    assertThat(again.files().get(0).stats().rowsRead()).isZero();
    assertThat(fixture.query("SELECT cases FROM covid_us")).containsExactly("10");
  }

  @Test
  void anEmptyInputWithoutDeclaredColumnsFailsNamingTheFile() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: pairs
            source: {path: landing, settle: 0s}
            inputs:
              - {name: a, match: "a*.csv"}
              - {name: b, match: "b*.csv"}
            transform:
              - sql: select * from a join b using (id)
            target: {path: test.duckdb, table: pairs}
            """);
    fixture.file("a.csv", "id,x\n1,2\n");
    fixture.file("b.csv", "");
    RunReport report = fixture.run(pipeline);
    assertThat(report.files().get(1).error().orElseThrow())
        .contains("b.csv: the file is empty and input b declares no schema.columns");
    assertThat(report.worstFault()).contains(Fault.DATA);
  }
}
