package io.bucketload.jdbc.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.error.Fault;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.target.FileStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DuckDbLoadIT {
  private static final String CUSTOMERS =
      """
      name: customers
      source: {path: landing, settle: 0s, match: "*.csv*"}
      schema:
        key: [id]
        columns:
          - {name: id, type: long, required: true}
          - {name: name, type: string}
          - {name: age, type: int}
          - {name: born, type: date, format: dd-MM-yyyy}
          - {name: balance, type: "decimal(12,2)"}
          - {name: active, type: boolean}
      target: {path: test.duckdb, table: customers, mode: %s}
      rejects: {max: %s}
      """;

  @TempDir Path dir;
  LoadFixture fixture;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new LoadFixture(dir);
  }

  private Path customers(String mode, String maxRejects) throws IOException {
    return fixture.pipeline(CUSTOMERS.formatted(mode, maxRejects));
  }

  private static FileReport only(RunReport report) {
    assertThat(report.files()).hasSize(1);
    return report.files().get(0);
  }

  @Test
  void aDatabasePathHoldingAQuestionMarkIsRefusedNamingIt() throws Exception {
    fixture.file("c.csv", "id\n1\n");
    Path pipeline =
        fixture.pipeline(
            """
            name: q
            source: {path: landing, settle: 0s}
            target: {path: "what?.duckdb", table: t}
            """);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> fixture.run(pipeline))
        .hasMessageContaining("target.path")
        .hasMessageContaining("'?'");
    // validate checks the whole pipeline file too, before any file is read.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> io.bucketload.core.run.PipelineSetup.read(pipeline))
        .hasMessageStartingWith(
            pipeline.getFileName() + " line 3: target.path: DuckDB's driver reads what follows");
    assertThat(Files.list(dir).map(path -> path.getFileName().toString()).toList())
        .noneMatch(name -> name.contains("duckdb"));
  }

  @Test
  void mergeIsRefusedNamingThePipelineFileAndLine() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: m
            source: {path: landing, settle: 0s}
            schema: {key: [id]}
            target:
              table: t
              mode: merge
            """);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> io.bucketload.core.run.PipelineSetup.read(pipeline))
        .isInstanceOf(io.bucketload.core.error.ConfigException.class)
        .hasMessage(
            pipeline.getFileName()
                + " line 6: target.mode: merge is DynamoDB's (UpdateItem with the file's"
                + " attributes); on a SQL table use upsert, which already updates only the file's"
                + " columns and keeps the others");
  }

  @Test
  void loadsTypedValuesIntoATypedTable() throws Exception {
    Path pipeline = customers("upsert", "0");
    fixture.file(
        "c.csv",
        """
        id,name,age,born,balance,active
        1,"Okafor, Ada",41,02-02-1984,12000.5,true
        2,,,,,
        """);
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    assertThat(file.rowsRead()).isEqualTo(2);
    assertThat(file.rowsLoaded()).isEqualTo(2);
    assertThat(file.inserted()).hasValue(2);
    assertThat(fixture.query("SELECT * FROM customers ORDER BY id"))
        .containsExactly("1|Okafor, Ada|41|1984-02-02|12000.50|true", "2|null|null|null|null|null");
    assertThat(
            fixture.query(
                "SELECT column_name || ':' || data_type FROM information_schema.columns"
                    + " WHERE table_name = 'customers' ORDER BY ordinal_position"))
        .containsExactly(
            "id:BIGINT",
            "name:VARCHAR",
            "age:INTEGER",
            "born:DATE",
            "balance:DECIMAL(12,2)",
            "active:BOOLEAN");
  }

  @Test
  void sameContentAgainIsSkippedAndAChangedFileIsANewVersion() throws Exception {
    Path pipeline = customers("upsert", "0");
    fixture.file("c.csv", "id,name,age,born,balance,active\n1,Ada,41,,,\n2,Bob,30,,,\n");
    assertThat(only(fixture.run(pipeline)).status()).isEqualTo(FileStatus.LOADED);

    FileReport again = only(fixture.run(pipeline));
    assertThat(again.status()).isEqualTo(FileStatus.SKIPPED);
    assertThat(again.note())
        .hasValueSatisfying(note -> assertThat(note).startsWith("already loaded at"));
    assertThat(fixture.count("customers")).isEqualTo(2);

    fixture.file("c.csv", "id,name,age,born,balance,active\n1,Ada,42,,,\n2,Bob,30,,,\n3,Cy,9,,,\n");
    FileReport changed = only(fixture.run(pipeline));
    assertThat(changed.status()).isEqualTo(FileStatus.LOADED);
    assertThat(changed.inserted()).hasValue(1);
    assertThat(changed.updated()).hasValue(1);
    assertThat(changed.unchanged()).hasValue(1);
    assertThat(fixture.query("SELECT id, age FROM customers ORDER BY id"))
        .containsExactly("1|42", "2|30", "3|9");
    assertThat(fixture.query("SELECT status, count(*) FROM bucketload_ledger GROUP BY status"))
        .containsExactly("loaded|2");
  }

  @Test
  void upsertKeepsTheLastRowOfAKeyRepeatedInTheFile() throws Exception {
    Path pipeline = customers("upsert", "0");
    fixture.file("c.csv", "id,name,age,born,balance,active\n1,first,1,,,\n2,b,2,,,\n1,last,3,,,\n");
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.inserted()).hasValue(2);
    assertThat(file.rowsLoaded()).isEqualTo(2);
    assertThat(file.warnings())
        .containsExactly(
            "1 row(s) repeated the key of a later row in the file; the last row of each key was"
                + " loaded");
    assertThat(fixture.query("SELECT id, name FROM customers ORDER BY id"))
        .containsExactly("1|last", "2|b");
  }

  @Test
  void insertNewLeavesExistingKeysUntouched() throws Exception {
    Path pipeline = customers("insert_new", "0");
    fixture.file("a.csv", "id,name,age,born,balance,active\n1,original,1,,,\n");
    fixture.run(pipeline);
    fixture.file("b.csv", "id,name,age,born,balance,active\n1,changed,1,,,\n2,new,2,,,\n");
    FileReport second = only(fixture.run(pipeline, "b.csv"));
    assertThat(second.inserted()).hasValue(1);
    assertThat(second.unchanged()).hasValue(1);
    assertThat(fixture.query("SELECT id, name FROM customers ORDER BY id"))
        .containsExactly("1|original", "2|new");
  }

  @Test
  void replaceMakesTheTableContentsTheFilesAndCountsTheDeletedRows() throws Exception {
    Path pipeline = customers("replace", "0");
    fixture.file("a.csv", "id,name,age,born,balance,active\n1,a,1,,,\n2,b,2,,,\n3,c,3,,,\n");
    fixture.run(pipeline);
    fixture.file("b.csv", "id,name,age,born,balance,active\n2,b2,2,,,\n4,d,4,,,\n4,d2,4,,,\n");
    FileReport second = only(fixture.run(pipeline, "b.csv"));
    assertThat(second.deleted()).hasValue(3);
    assertThat(second.inserted()).hasValue(2);
    assertThat(fixture.query("SELECT id, name FROM customers ORDER BY id"))
        .containsExactly("2|b2", "4|d2");
  }

  @Test
  void replaceWithoutAKeyAndAppendWork() throws Exception {
    Path pipeline =
        fixture.pipeline(
            "name: events\nsource: {path: landing, settle: 0s}\ntarget: {path: test.duckdb, table: events, mode: replace}\n");
    fixture.file("a.csv", "what\nx\ny\n");
    fixture.run(pipeline);
    fixture.file("b.csv", "what\nz\n");
    FileReport replaced = only(fixture.run(pipeline, "b.csv"));
    assertThat(replaced.deleted()).hasValue(2);
    assertThat(fixture.query("SELECT what FROM events")).containsExactly("z");

    Path append =
        fixture.pipeline(
            "name: log\nsource: {path: landing, settle: 0s}\ntarget: {path: test.duckdb, table: log, mode: append}\n");
    fixture.run(append);
    assertThat(fixture.count("log")).isEqualTo(3);
  }

  @Test
  void rejectsWithinTheLimitAreWrittenBesideTheFileAndTheRestLoads() throws Exception {
    Path pipeline = customers("upsert", "3");
    fixture.file(
        "c.csv",
        """
        id,name,age,born,balance,active
        1,Ada,41,02-02-1984,1.00,true
        2,Bob,thirty,02-02-1984,1.00,true
        3,Cy,30,31-02-1984,1.00,true
        ,NoKey,30,01-01-1990,1.00,true
        5,Short
        6,Dee,50,01-01-1970,1.005,false
        """);
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.rowsRejected()).isEqualTo(5);
    assertThat(file.error())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .contains("5 of 6 rows rejected, over rejects.max 3; nothing was loaded"));

    Path lenient = customers("upsert", "90%");
    FileReport loaded = only(fixture.run(lenient));
    assertThat(loaded.status()).isEqualTo(FileStatus.LOADED);
    assertThat(loaded.rowsLoaded()).isEqualTo(1);
    assertThat(fixture.query("SELECT id FROM customers")).containsExactly("1");
    Path rejects = fixture.landing.resolve("rejected/c.rejects.csv");
    assertThat(loaded.rejectsPath()).hasValue(rejects.toString());
    assertThat(Files.readAllLines(rejects))
        .containsExactly(
            "line,column,value,reason,id,name,age,born,balance,active",
            "3,age,thirty,not an int,2,Bob,thirty,02-02-1984,1.00,true",
            "4,born,31-02-1984,not a date in format dd-MM-yyyy,3,Cy,30,31-02-1984,1.00,true",
            "5,id,,required value is missing,,NoKey,30,01-01-1990,1.00,true",
            "6,,,\"expected 6 fields, found 2\",5,Short",
            "7,balance,1.005,\"has 3 decimal places; decimal(12,2) allows 2\",6,Dee,50,01-01-1970,1.005,false");
  }

  @Test
  void aFileOverAPercentageLimitLoadsNothingEvenAfterItsRowsWereWritten() throws Exception {
    Path pipeline = customers("append", "10%");
    StringBuilder csv = new StringBuilder("id,name,age,born,balance,active\n");
    for (int i = 0; i < 30_000; i++) {
      csv.append(i).append(",n,").append(i % 5 == 0 ? "bad" : "1").append(",,,\n");
    }
    fixture.file("big.csv", csv.toString());
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.fault()).hasValue(Fault.DATA);
    assertThat(file.rowsRejected()).isEqualTo(6_000);
    assertThat(
            fixture.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'customers'"))
        .containsExactly("0");
    assertThat(fixture.query("SELECT status, rows_read, rows_rejected FROM bucketload_ledger"))
        .containsExactly("failed|30000|6000");
  }

  @Test
  void aMissingKeyColumnFailsTheFileNamingItAndIsRecorded() throws Exception {
    Path pipeline = customers("upsert", "0");
    fixture.file("bad.csv", "name,age,born,balance,active\nTom,34,,,\n");
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.fault()).hasValue(Fault.DATA);
    assertThat(file.error())
        .hasValue(
            "bad.csv: missing column 'id' (schema.key); header columns: name, age, born, balance, active");
    assertThat(fixture.query("SELECT status, error FROM bucketload_ledger"))
        .containsExactly("failed|" + file.error().get());
  }

  @Test
  void anUnterminatedQuoteFailsTheFileAndLoadsNoneOfItsRows() throws Exception {
    Path pipeline = customers("append", "0");
    fixture.file("q.csv", "id,name,age,born,balance,active\n1,ok,1,,,\n2,\"open,1,,,\n3,x,1,,,\n");
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error())
        .hasValue("q.csv line 3: a quoted field starting on this line is never closed");
    assertThat(
            fixture.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'customers'"))
        .containsExactly("0");
  }

  @Test
  void hostileHeaderNamesBecomeQuotedColumnNames() throws Exception {
    Path pipeline =
        fixture.pipeline(
            "name: hostile\nsource: {path: landing, settle: 0s}\ntarget: {path: test.duckdb, table: \"t\\\"; DROP TABLE x; --\"}\n");
    fixture.file(
        "h.csv", "\"a\"\"; DROP TABLE bucketload_ledger; --\",名前,\"with space\"\n1,太郎,x\n");
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    assertThat(
            fixture.query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 't\"; DROP TABLE x; --'"
                    + " ORDER BY ordinal_position"))
        .containsExactly("a\"; DROP TABLE bucketload_ledger; --", "名前", "with space");
    assertThat(fixture.query("SELECT count(*) FROM bucketload_ledger")).containsExactly("1");
  }

  @Test
  void anExistingTableThatDoesNotMatchFailsNamingTheDifference() throws Exception {
    Path pipeline = customers("upsert", "0");
    fixture.file("c.csv", "id,name,age,born,balance,active\n1,Ada,41,,,\n");
    fixture.run(pipeline);
    Path other =
        fixture.pipeline(
            """
            name: other
            source: {path: landing, settle: 0s}
            schema:
              columns:
                - {name: id, type: string}
                - {name: name, type: string}
                - {name: nickname, type: string}
            target: {path: test.duckdb, table: customers}
            """);
    fixture.file("c.csv", "id,name,nickname\n1,Ada,A\n");
    FileReport file = only(fixture.run(other));
    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.fault()).hasValue(Fault.CONFIG);
    assertThat(file.error())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .contains("table main.customers does not match the pipeline")
                    .contains("column 'id' is BIGINT in the table, the pipeline loads VARCHAR")
                    .contains("the table has no column 'nickname' (VARCHAR)")
                    .endsWith("Change schema.columns to match, or load into another table."));
  }

  @Test
  void aHeaderThatNoLongerFitsTheTableOfASchemaLessPipelineFailsAsDataSayingWhatToDo()
      throws Exception {
    FileReport file = secondOfSchemaLess("evolving", "id,v\n1,a\n", "id,v,extra\n2,b,c\n");

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.fault()).hasValue(Fault.DATA);
    assertThat(file.error().orElseThrow())
        .contains("the table has no column 'extra' (VARCHAR)")
        .contains("Without schema.columns the columns come from the file's header")
        .doesNotContain("Change schema.columns to match");
  }

  @Test
  void aNameThatDiffersOnlyInANonAsciiLetterIsAnotherColumnNotTheTablesOwn() throws Exception {
    // Java's equalsIgnoreCase takes the dotless ı for an i; DuckDB does not, and neither does the
    // header's duplicate check. The value of sıra once went into sira, and sira's was lost.
    FileReport file = secondOfSchemaLess("names", "sira,note\n1,a\n", "sira,s\u0131ra\n3,c\n");

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.fault()).hasValue(Fault.DATA);
    assertThat(file.error().orElseThrow())
        .contains("the table has no column 's\u0131ra' (VARCHAR)");
    assertThat(fixture.query("SELECT sira || '/' || coalesce(note, 'null') FROM names"))
        .containsExactly("1/a");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void rowsATablesConstraintsRefuseFailTheFileOnItsData(boolean directRead) throws Exception {
    fixture.execute(
        "CREATE TABLE checked (id BIGINT PRIMARY KEY, v INTEGER CHECK (v > 0), note VARCHAR"
            + " NOT NULL DEFAULT 'x')",
        "CREATE TABLE parent (id BIGINT PRIMARY KEY)",
        "CREATE TABLE child (id BIGINT, parent BIGINT REFERENCES parent(id))");
    String target = "target: {path: test.duckdb, table: TABLE, direct_read: " + directRead + "}\n";
    Path checked =
        fixture.pipeline(
            "name: checked\nsource: {path: landing, match: \"c*.csv\", settle: 0s}\n"
                + "schema:\n  columns: [{name: id, type: long}, {name: v, type: int}]\n"
                + target.replace("TABLE", "checked"));
    Path child =
        fixture.pipeline(
            "name: child\nsource: {path: landing, match: \"k*.csv\", settle: 0s}\n"
                + "schema:\n  columns: [{name: id, type: long}, {name: parent, type: long}]\n"
                + target.replace("TABLE", "child"));
    fixture.file("c.csv", "id,v\n1,5\n2,-1\n");
    fixture.file("k.csv", "id,parent\n1,99\n");

    for (FileReport file : List.of(only(fixture.run(checked)), only(fixture.run(child)))) {
      assertThat(file.status()).as(file.file()).isEqualTo(FileStatus.FAILED);
      assertThat(file.fault()).as(file.file()).hasValue(Fault.DATA);
      assertThat(file.error().orElseThrow())
          .as(file.file())
          .contains("the database refused the rows")
          .containsIgnoringCase("constraint");
    }
    assertThat(fixture.count("checked")).isZero();
    assertThat(fixture.count("child")).isZero();
  }

  @Test
  void aTableWhoseNameDiffersInANonAsciiLetterIsAnotherTable() throws Exception {
    fixture.execute("CREATE TABLE \"\u00C9T\u00C9\" (x INTEGER, y INTEGER)");
    Path pipeline =
        fixture.pipeline(
            "name: summer\nsource: {path: landing, settle: 0s}\n"
                + "target: {path: test.duckdb, table: \"\u00E9t\u00E9\"}\n");
    fixture.file("s.csv", "a\n1\n");

    assertThat(only(fixture.run(pipeline)).status()).isEqualTo(FileStatus.LOADED);
    assertThat(fixture.query("SELECT a FROM \"\u00E9t\u00E9\"")).containsExactly("1");
    assertThat(fixture.count("\"\u00C9T\u00C9\"")).isZero();
  }

  @Test
  void aViewOfTheTablesNameIsAConfigurationErrorInEveryMode() throws Exception {
    fixture.execute(
        "CREATE TABLE base (id VARCHAR, v VARCHAR)", "CREATE VIEW t AS SELECT * FROM base");
    fixture.file("a.csv", "id,v\n1,a\n");
    for (String mode : java.util.List.of("append", "upsert")) {
      Path pipeline =
          fixture.pipeline(
              "name: v\nsource: {path: landing, settle: 0s}\nschema: {key: [id]}\n"
                  + "target: {path: test.duckdb, table: t, mode: "
                  + mode
                  + "}\n");

      FileReport file = only(fixture.run(pipeline));

      assertThat(file.fault()).as(mode).contains(Fault.CONFIG);
      assertThat(file.error().orElseThrow())
          .as(mode)
          .isEqualTo(
              "main.t is a view, not a table: bucketload loads into tables. Name a table in the"
                  + " pipeline's table, or a new name for bucketload to create.");
    }
    assertThat(fixture.count("base")).isZero();
  }

  /**
   * Loads {@code first} as a.csv into the table {@code name} of a schema-less pipeline of that
   * name, then {@code second} as b.csv: b.csv's report.
   */
  private FileReport secondOfSchemaLess(String name, String first, String second) throws Exception {
    Path pipeline =
        fixture.pipeline(
            "name: "
                + name
                + "\nsource: {path: landing, settle: 0s}\ntarget: {path: test.duckdb, table: "
                + name
                + "}\n");
    fixture.file("a.csv", first);
    assertThat(only(fixture.run(pipeline)).status()).isEqualTo(FileStatus.LOADED);
    fixture.file("b.csv", second);
    return fixture.run(pipeline).files().stream()
        .filter(report -> report.file().equals("b.csv"))
        .findFirst()
        .orElseThrow();
  }

  private static String wideFile(int columns, int rows) {
    StringBuilder text = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      text.append(c == 0 ? "" : ",").append("c").append(c);
    }
    text.append('\n');
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        text.append(c == 0 ? "" : ",").append(r);
      }
      text.append('\n');
    }
    return text.toString();
  }

  @Test
  void aMismatchOfManyColumnsListsTenAndCountsTheRest() throws Exception {
    Path pipeline =
        fixture.pipeline(
            "name: wide\nsource: {path: landing, settle: 0s}\n"
                + "target: {path: test.duckdb, table: wide}\n");
    fixture.file("a.csv", wideFile(3, 1));
    assertThat(only(fixture.run(pipeline)).status()).isEqualTo(FileStatus.LOADED);
    Files.delete(dir.resolve("landing/a.csv"));
    fixture.file("b.csv", wideFile(40, 1));

    FileReport file = only(fixture.run(pipeline));

    assertThat(file.fault()).hasValue(Fault.DATA);
    assertThat(file.error().orElseThrow())
        .contains("the table has no column 'c3' (VARCHAR)")
        .contains("the table has no column 'c12' (VARCHAR); and 27 more.")
        .doesNotContain("'c13'");
  }

  @Test
  void aFileTooWideForTheMemoryLimitFailsAsDataSayingWhatToRaise() throws Exception {
    Path pipeline =
        fixture.pipeline(
            "name: wide\nsource: {path: landing, settle: 0s}\n"
                + "target: {path: test.duckdb, table: wide, memory_limit: 16MB}\n");
    fixture.file("w.csv", wideFile(2000, 3));

    FileReport file = only(fixture.run(pipeline));

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.fault()).hasValue(Fault.DATA);
    assertThat(file.error().orElseThrow())
        .contains("DuckDB ran out of target.memory_limit (15.2 MiB) with 2000 column(s)")
        .contains("raise target.memory_limit, or load fewer columns");
    assertThat(
            fixture.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'wide'"))
        .containsExactly("0");
  }

  @Test
  void transformsRenameDropAndAddColumns() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: shaped
            source: {path: landing, settle: 0s, match: "**.csv"}
            schema:
              key: [customer]
            transform:
              - rename: {customer_id: customer}
              - drop: [secret]
              - add: {source_file: source.key, file_name: source.name, line: source.line, loaded_at: now(), batch: 7, tag: nightly}
            target: {path: test.duckdb, table: shaped, mode: upsert}
            """);
    fixture.file("day1/c.csv", "customer_id,secret,name\nc1,pw,Ada\nc2,pw,Bob\n");
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.status()).as(file.error().orElse("")).isEqualTo(FileStatus.LOADED);
    assertThat(
            fixture.query(
                "SELECT customer, name, source_file, file_name, line, batch, tag FROM shaped ORDER BY customer"))
        .containsExactly(
            "c1|Ada|day1/c.csv|c.csv|2|7|nightly", "c2|Bob|day1/c.csv|c.csv|3|7|nightly");
    assertThat(
            fixture.query(
                "SELECT count(DISTINCT loaded_at), typeof(any_value(loaded_at)) FROM shaped"))
        .containsExactly("1|TIMESTAMP");
  }

  @Test
  void gzipFilesAndFilesWithoutHeaderLoad() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: nohead
            source: {path: landing, settle: 0s}
            format: {header: false, delimiter: ";"}
            schema:
              columns: [{name: id, type: int}, {name: city, type: string}]
            target: {path: test.duckdb, table: cities}
            """);
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(fixture.landing.resolve("cities.csv.gz")))) {
      out.write("1;Lyon\n2;Kraków\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.status()).as(file.error().orElse("")).isEqualTo(FileStatus.LOADED);
    assertThat(fixture.query("SELECT id, city FROM cities ORDER BY id"))
        .containsExactly("1|Lyon", "2|Kraków");
  }

  @Test
  void validateWritesRejectsButLoadsAndRecordsNothing() throws Exception {
    Path pipeline = customers("upsert", "5");
    fixture.file("c.csv", "id,name,age,born,balance,active\n1,Ada,41,,,\n2,Bob,old,,,\n");
    RunReport report = fixture.validate(pipeline);
    FileReport file = only(report);
    assertThat(file.status()).isEqualTo(FileStatus.VALID);
    assertThat(file.rowsRejected()).isEqualTo(1);
    assertThat(fixture.landing.resolve("rejected/c.rejects.csv")).exists();
    assertThat(fixture.database).doesNotExist();
  }

  @Test
  void manyChunksLoadInOrderWithExactCounts() throws Exception {
    Path pipeline = customers("upsert", "0");
    StringBuilder csv = new StringBuilder("id,name,age,born,balance,active\n");
    for (int i = 0; i < 50_000; i++) {
      csv.append(i % 40_000)
          .append(",\"n, ")
          .append(i)
          .append("\",")
          .append(i % 90)
          .append(",01-01-2000,")
          .append(i)
          .append(".25,")
          .append(i % 2 == 0)
          .append('\n');
    }
    fixture.file("many.csv", csv.toString());
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.rowsRead()).isEqualTo(50_000);
    assertThat(file.inserted()).hasValue(40_000);
    assertThat(fixture.count("customers")).isEqualTo(40_000);
    assertThat(fixture.query("SELECT name, balance FROM customers WHERE id = 5"))
        .containsExactly("n, 40005|40005.25");
  }

  @Test
  void aCleanVersionOfAFileRemovesTheRejectsOfTheEarlierOne() throws Exception {
    Path pipeline = customers("upsert", "1");
    fixture.file("c.csv", "id,name,age,born,balance,active\n1,Ada,x,,,\n2,Bob,1,,,\n");
    assertThat(only(fixture.run(pipeline)).rejectsPath()).isPresent();
    Path rejects = fixture.landing.resolve("rejected/c.rejects.csv");
    assertThat(rejects).exists();
    fixture.file("c.csv", "id,name,age,born,balance,active\n1,Ada,2,,,\n2,Bob,1,,,\n");
    FileReport clean = only(fixture.run(pipeline));
    assertThat(clean.rejectsPath()).isEmpty();
    assertThat(rejects).doesNotExist();
    assertThat(clean.warnings())
        .contains("removed the rejects file of an earlier version of this file");
  }

  @Test
  void anEmptyFileWithoutHeaderOrColumnsLoadsNothingInAppendAndFailsInReplace() throws Exception {
    Path append =
        fixture.pipeline(
            "name: e\nsource: {path: landing, settle: 0s}\nformat: {header: false}\ntarget: {path: test.duckdb}\n");
    fixture.file("empty.csv", "");
    FileReport appended = only(fixture.run(append));
    FileReport again = only(fixture.run(append));
    Path replace =
        fixture.pipeline(
            "name: r\nsource: {path: landing, settle: 0s}\ntarget: {path: test.duckdb, mode: replace}\n");
    FileReport replaced = only(fixture.run(replace));

    assertThat(appended.status()).isEqualTo(FileStatus.LOADED);
    assertThat(appended.rowsLoaded()).isZero();
    assertThat(appended.inserted()).hasValue(0);
    assertThat(appended.deleted()).hasValue(0);
    assertThat(appended.warnings()).contains("the file is empty: no header and no rows");
    assertThat(again.status()).isEqualTo(FileStatus.SKIPPED);
    assertThat(replaced.fault()).hasValue(Fault.DATA);
    assertThat(replaced.error().orElseThrow())
        .startsWith("empty.csv: no rows to load (the file has none); mode replace would empty");
  }

  @Test
  void aNamedFileThatDoesNotExistIsAUsageError() throws Exception {
    Path pipeline = customers("upsert", "0");
    FileReport file = only(fixture.run(pipeline, "nope.csv"));
    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.fault()).hasValue(Fault.CONFIG);
  }

  @Test
  void anAbortedLoadLeavesNoStagingTables() throws SQLException, IOException {
    Path pipeline = customers("upsert", "0");
    fixture.file("c.csv", "id,name,age,born,balance,active\n1,Ada,x,,,\n");
    fixture.run(pipeline);
    fixture.file("c.csv", "id,name,age,born,balance,active\n1,Ada,1,,,\n");
    fixture.run(pipeline);
    assertThat(fixture.query("SELECT table_name FROM information_schema.tables ORDER BY 1"))
        .containsExactly("bucketload_ledger", "customers");
  }

  @Test
  void appendIntoAKeyedTableRefusesARepeatedKeyNamingItAndLoadsNothing() throws Exception {
    Path pipeline = customers("append", "0");
    // A quoted line break: the lines named are the file's, not the records' numbers.
    fixture.file("a.csv", "id,name,age,born,balance,active\n1,\"a\nb\",1,,,\n1,b,1,,,\n");
    FileReport small = only(fixture.run(pipeline));
    assertThat(small.status()).isEqualTo(FileStatus.FAILED);
    assertThat(small.fault()).hasValue(Fault.DATA);
    assertThat(small.error())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .contains("duplicate key \"1\" (id) on line 4 repeats line 2 of the file")
                    .contains("use upsert or insert_new"));

    StringBuilder csv = new StringBuilder("id,name,age,born,balance,active\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(i).append(",n,1,,,\n");
    }
    fixture.file("a.csv", csv.toString());
    assertThat(only(fixture.run(pipeline)).status()).isEqualTo(FileStatus.LOADED);
    csv.append("19999,again,1,,,\n");
    fixture.file("b.csv", csv.toString());
    FileReport big = only(fixture.run(pipeline, "b.csv"));
    assertThat(big.status()).isEqualTo(FileStatus.FAILED);
    assertThat(big.fault()).hasValue(Fault.DATA);
    assertThat(big.error().orElseThrow())
        .contains("duplicate key \"19999\" (id) on line 20002 repeats line 20001 of the file");
    assertThat(fixture.count("customers")).isEqualTo(20_000);
  }

  @Test
  void rowsAppendedToAnExistingTableAreRolledBackWhenTheFileFails() throws Exception {
    Path pipeline = customers("append", "10%");
    fixture.file("a.csv", "id,name,age,born,balance,active\n-1,seed,1,,,\n");
    fixture.run(pipeline);
    StringBuilder csv = new StringBuilder("id,name,age,born,balance,active\n");
    for (int i = 0; i < 30_000; i++) {
      csv.append(i).append(",n,").append(i >= 25_000 ? "bad" : "1").append(",,,\n");
    }
    fixture.file("b.csv", csv.toString());
    FileReport file = only(fixture.run(pipeline, "b.csv"));
    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(fixture.count("customers")).isEqualTo(1);
  }

  @Test
  void decimalsOfEveryStorageWidthLoadExactly() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: money
            source: {path: landing, settle: 0s}
            schema:
              columns:
                - {name: p4, type: "decimal(4,2)"}
                - {name: p9, type: "decimal(9,2)"}
                - {name: p18, type: "decimal(18,4)"}
                - {name: p38, type: "decimal(38,10)"}
            target: {path: test.duckdb, table: money}
            """);
    fixture.file(
        "m.csv",
        "p4,p9,p18,p38\n12.34,1234567.89,12345678901234.5678,1234567890123456789012345678.0123456789\n"
            + "-0.5,-1,0,-0.0000000001\n");
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.status()).as(file.error().orElse("")).isEqualTo(FileStatus.LOADED);
    assertThat(fixture.query("SELECT p4, p9, p18, p38::VARCHAR FROM money ORDER BY p4 DESC"))
        .containsExactly(
            "12.34|1234567.89|12345678901234.5678|1234567890123456789012345678.0123456789",
            "-0.50|-1.00|0.0000|-0.0000000001");
  }

  @Test
  void computedDecimalsAndCoalescedNumbersLoadAtTheirColumnsTypes() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: computed
            source: {path: landing, settle: 0s}
            schema:
              columns:
                - {name: amount, type: "decimal(12,2)"}
                - {name: visits, type: int}
            transform:
              - add:
                  paid: {expr: "coalesce(amount, 0)"}
                  seen: {expr: "coalesce(visits, 0)"}
            target: {path: test.duckdb, table: computed}
            """);
    fixture.file("c.csv", "amount,visits\n12.34,5\n,\n");
    FileReport file = only(fixture.run(pipeline));
    assertThat(file.status()).as(file.error().orElse("")).isEqualTo(FileStatus.LOADED);
    assertThat(
            fixture.query(
                "SELECT paid::VARCHAR, typeof(paid), seen, typeof(seen) FROM computed"
                    + " ORDER BY seen DESC"))
        .containsExactly(
            "12.3400000000|DECIMAL(38,10)|5|BIGINT", "0.0000000000|DECIMAL(38,10)|0|BIGINT");
  }

  @Test
  void appendOfAKeyAlreadyInTheTableNamesItAndSuggestsAMode() throws Exception {
    Path pipeline = customers("append", "0");
    fixture.file("a.csv", "id,name,age,born,balance,active\n1,a,1,,,\n");
    fixture.run(pipeline);
    fixture.file("b.csv", "id,name,age,born,balance,active\n2,\"new\nline\",1,,,\n1,again,1,,,\n");
    FileReport file = only(fixture.run(pipeline, "b.csv"));
    assertThat(file.fault()).hasValue(Fault.DATA);
    assertThat(file.error())
        .hasValueSatisfying(
            error ->
                assertThat(error)
                    .contains("duplicate key \"1\" (id) on line 4 is already in the table")
                    .contains("use upsert or insert_new"));
    assertThat(fixture.count("customers")).isEqualTo(1);
  }

  @Test
  void syncDeletesAbsentKeysAndAfterLoadSqlAndExportsRunInTheSameTransaction() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: s
            source: {path: landing, settle: 0s}
            schema:
              key: [id]
              columns: [{name: id, type: int}, name, {name: ok, type: boolean}]
            target: {path: test.duckdb, table: t, mode: sync}
            after_load:
              - "CREATE OR REPLACE TABLE summary AS SELECT count(*) AS n FROM t; UPDATE summary SET n = n * 10"
            exports:
              - {name: rows, query: "SELECT id, name, ok FROM t ORDER BY id", folder: out}
            """);
    fixture.file("a.csv", "id,name,ok\n1,a,true\n2,b,false\n3,c,\n");
    fixture.run(pipeline);
    fixture.file("a.csv", "id,name,ok\n1,a,true\n3,\"c, changed\",\n4,d,true\n");
    RunReport report = fixture.run(pipeline);
    FileReport file = only(report);
    assertThat(file.error()).isEmpty();
    assertThat(file.inserted()).hasValue(1);
    assertThat(file.updated()).hasValue(1);
    assertThat(file.unchanged()).hasValue(1);
    assertThat(file.deleted()).hasValue(1);
    assertThat(fixture.query("SELECT id FROM t ORDER BY id")).containsExactly("1", "3", "4");
    assertThat(fixture.query("SELECT n FROM summary")).containsExactly("30");
    assertThat(file.exports()).hasSize(1);
    assertThat(Files.readString(Path.of(file.exports().get(0))))
        .isEqualTo("id,name,ok\n1,a,true\n3,\"c, changed\",\n4,d,true\n");
    assertThat(file.exports().get(0)).contains("landing/out/rows-" + report.runId());
  }

  private void gzipFile(String name, String content) throws IOException {
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(fixture.landing.resolve(name)))) {
      out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static final String COUNTING_EXPORTS =
      """
      name: ex
      source: {path: landing, settle: 0s}
      target: {path: test.duckdb, table: t}
      exports:
        - {name: snap, query: "SELECT count(*) AS n FROM t"}
        - {name: check, query: "SELECT CAST(v AS INT) AS v FROM t ORDER BY v"}
      """;

  @Test
  void filesWhoseNamesGiveTheSameLabelGetExportsOfTheirOwn() throws Exception {
    Path pipeline = fixture.pipeline(COUNTING_EXPORTS);
    fixture.file("day.1.csv", "id,v\n1,1\n");
    gzipFile("day.1.csv.gz", "id,v\n2,2\n3,3\n");

    RunReport report = fixture.run(pipeline);

    assertThat(report.files()).hasSize(2);
    List<String> snaps =
        report.files().stream().map(file -> file.exports().get(0)).sorted().toList();
    assertThat(snaps.get(0)).endsWith("snap-" + report.runId() + "-day.1-2.csv");
    assertThat(snaps.get(1)).endsWith("snap-" + report.runId() + "-day.1.csv");
    assertThat(Files.readString(Path.of(snaps.get(1)))).isEqualTo("n\n1\n");
    assertThat(Files.readString(Path.of(snaps.get(0)))).isEqualTo("n\n3\n");
  }

  @Test
  void aFileThatFailsRemovesItsOwnExportsOnly() throws Exception {
    Path pipeline = fixture.pipeline(COUNTING_EXPORTS);
    fixture.file("day.csv", "id,v\n1,1\n");
    gzipFile("day.csv.gz", "id,v\n4,x\n");

    RunReport report = fixture.run(pipeline);

    FileReport loaded =
        report.files().stream().filter(f -> f.file().equals("day.csv")).findFirst().orElseThrow();
    FileReport failed =
        report.files().stream()
            .filter(f -> f.file().equals("day.csv.gz"))
            .findFirst()
            .orElseThrow();
    assertThat(loaded.status()).isEqualTo(FileStatus.LOADED);
    assertThat(failed.status()).isEqualTo(FileStatus.FAILED);
    assertThat(loaded.exports()).hasSize(2);
    for (String export : loaded.exports()) {
      assertThat(Path.of(export)).exists();
    }
    try (java.util.stream.Stream<Path> written = Files.list(fixture.landing.resolve("exports"))) {
      assertThat(written.count()).isEqualTo(2);
    }
  }

  @Test
  void afterLoadSqlRefusingAFilesRowsIsFinalForThatFileAsItsReportSays() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: al
            source: {path: landing, settle: 0s}
            target: {path: test.duckdb, table: t}
            after_load:
              - "SELECT CAST(v AS INT) FROM t"
            """);
    fixture.file("b.csv", "id,v\n3,x\n");

    FileReport first = only(fixture.run(pipeline));
    FileReport second = only(fixture.run(pipeline));

    assertThat(first.fault()).hasValue(Fault.DATA);
    assertThat(second.fault()).hasValue(Fault.DATA);
    assertThat(second.error().orElseThrow())
        .contains("[failed before at ")
        .contains("not tried again until the file or the pipeline changes");
    assertThat(fixture.query("SELECT fault FROM bucketload_ledger")).containsExactly("data");
  }

  @Test
  void aFileThatRunsOutOfMemoryLeavesTheNextFileItsOwnOutcome() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: m
            source: {path: landing, settle: 0s}
            schema:
              key: [id]
              columns: [{name: id, type: long}, v]
            target: {path: test.duckdb, table: t, mode: upsert, memory_limit: 2MB}
            """);
    StringBuilder big = new StringBuilder("id,v\n");
    for (int i = 0; i < 300_000; i++) {
      big.append(i).append(",value").append(i).append('\n');
    }
    fixture.file("big.csv", big.toString());
    fixture.file("small.csv", "id,v\n1,a\n");

    RunReport report = fixture.run(pipeline);

    assertThat(report.files()).hasSize(2);
    assertThat(report.files())
        .allSatisfy(
            file ->
                assertThat(file.error().orElse(""))
                    .doesNotContain("transaction is aborted")
                    .doesNotContain("no transaction is active"));
  }

  @Test
  void datesAndTimestampsBeyondDuckDbsRangesAreRejectsNotWrappedAround() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: r
            source: {path: landing, settle: 0s}
            schema:
              columns:
                - {name: n, type: int}
                - {name: d, type: date}
                - {name: ts, type: timestamp, format: "u-MM-dd HH:mm"}
            target: {path: test.duckdb, table: t}
            rejects: {max: 5}
            """);
    fixture.file(
        "r.csv",
        "n,d,ts\n"
            + "1,2024-01-02,2024-01-02 03:04\n"
            + "2,-6000000-01-01,2024-01-02 03:04\n"
            + "3,+6000000-01-01,2024-01-02 03:04\n"
            + "4,2024-01-02,300000-01-01 00:00\n"
            + "5,+5881580-07-10,294247-01-10 04:00\n");

    FileReport file = only(fixture.run(pipeline));

    assertThat(file.rowsLoaded()).isEqualTo(2);
    assertThat(file.rowsRejected()).isEqualTo(3);
    assertThat(fixture.query("SELECT n, d, ts FROM t ORDER BY n"))
        .containsExactly(
            "1|2024-01-02|2024-01-02 03:04:00.0", "5|+5881580-07-10|294247-01-10 04:00:00.0");
    assertThat(Files.readString(Path.of(file.rejectsPath().orElseThrow())))
        .contains(
            "4,d,+6000000-01-01,out of range for a DuckDB date (5877642 BC to 5881580 AD):"
                + " +6000000-01-01")
        .contains(
            "5,ts,300000-01-01 00:00,out of range for a DuckDB timestamp (290309 BC to 294247"
                + " AD): +300000-01-01T00:00");
  }

  @Test
  void anUpsertIntoATableHoldingAKeyTwiceIsRefusedNamingTheKey() throws Exception {
    Path loose =
        fixture.pipeline(
            "name: loose\nsource: {path: landing, settle: 0s, match: \"a.csv\"}\n"
                + "target: {path: test.duckdb, table: t}\n");
    fixture.file("a.csv", "k,v\n1,a\n1,b\n2,c\n");
    assertThat(only(fixture.run(loose)).status()).isEqualTo(FileStatus.LOADED);
    Path keyed =
        fixture.pipeline(
            "name: keyed\nsource: {path: landing, settle: 0s, match: \"b.csv\"}\n"
                + "schema: {key: [k]}\n"
                + "target: {path: test.duckdb, table: t, mode: upsert}\n");
    fixture.file("b.csv", "k,v\n1,z\n3,y\n");

    FileReport file = only(fixture.run(keyed));

    assertThat(file.fault()).hasValue(Fault.CONFIG);
    assertThat(file.error().orElseThrow())
        .isEqualTo(
            "table main.t holds key \"1\" (k) in more than one row (it was loaded without a key,"
                + " or by another tool); mode upsert needs one row per key: remove the repeated"
                + " rows, or load into another table.");
    assertThat(fixture.query("SELECT k, v FROM t ORDER BY k, v"))
        .containsExactly("1|a", "1|b", "2|c");
  }

  @Test
  void aRepeatedKeyIsNamedAsSqlWritesItTheFirstInTheFile() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: k
            source: {path: landing, settle: 0s}
            schema:
              key: [d, ts]
              columns: [{name: d, type: "decimal(6,2)"}, {name: ts, type: timestamp}, v]
            target: {path: test.duckdb, table: t, mode: append}
            """);
    StringBuilder csv = new StringBuilder("d,ts,v\n");
    for (int i = 0; i < 50; i++) {
      csv.append("9.").append(10 + i).append(",2024-01-02 00:00:00,x\n");
    }
    csv.append("2.00,2024-01-02 03:04:05,a\n1.50,2024-01-02 01:04:05,b\n");
    csv.append("2.00,2024-01-02 03:04:05,c\n1.50,2024-01-02 01:04:05,d\n");
    fixture.file("k.csv", csv.toString());

    FileReport file = only(fixture.run(pipeline));

    assertThat(file.error().orElseThrow())
        .contains(
            "duplicate key \"2.00, 2024-01-02 03:04:05\" (d, ts) on line 54 repeats line 52 of"
                + " the file");
  }

  @Test
  void exportsWriteSmallDecimalsInPlainDigits() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: d
            source: {path: landing, settle: 0s}
            schema:
              columns: [k, {name: d, type: "decimal(18,9)"}, {name: e, type: "decimal(10,8)"}]
            target: {path: test.duckdb, table: t}
            exports:
              - {name: dec, query: "SELECT k, d, e FROM t ORDER BY k"}
            """);
    fixture.file("a.csv", "k,d,e\na,0.000000001,0.00000050\nb,-0.00000005,0\n");

    FileReport file = only(fixture.run(pipeline));

    assertThat(Files.readString(Path.of(file.exports().get(0))))
        .isEqualTo("k,d,e\na,0.000000001,0.00000050\nb,-0.000000050,0.00000000\n");
  }

  @Test
  void exportsWriteDoublesAsDuckDbWritesThem() throws Exception {
    Path pipeline =
        fixture.pipeline(
            """
            name: d
            source: {path: landing, settle: 0s}
            schema:
              columns: [k, {name: x, type: double}]
            target: {path: test.duckdb, table: t}
            exports:
              - name: doubles
                query: >-
                  SELECT k, x, CAST(x AS VARCHAR) AS duckdb FROM t ORDER BY k
            """);
    fixture.file(
        "a.csv",
        "k,x\na,1e20\nb,100\nc,0.0001\nd,0.00001\ne,-1.5e-7\nf,1000000000000000\ng,0.1\nh,\n");

    FileReport file = only(fixture.run(pipeline));

    assertThat(Files.readString(Path.of(file.exports().get(0))))
        .isEqualTo(
            "k,x,duckdb\n"
                + "a,1e+20,1e+20\n"
                + "b,100.0,100.0\n"
                + "c,0.0001,0.0001\n"
                + "d,1e-05,1e-05\n"
                + "e,-1.5e-07,-1.5e-07\n"
                + "f,1000000000000000.0,1000000000000000.0\n"
                + "g,0.1,0.1\n"
                + "h,,\n");
  }

  /**
   * A load through the appender sets DuckDB to one thread (the setting is the database's); when it
   * fails, the setting is reset after the rollback, so that a later file DuckDB reads itself in the
   * same run has DuckDB's default threads again.
   */
  @Test
  void aFailedLoadThroughTheAppenderLeavesDuckDbItsDefaultThreads() throws Exception {
    String defaultThreads = fixture.query("SELECT current_setting('threads')").get(0);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Integer.parseInt(defaultThreads) > 1, "DuckDB runs on more than one thread by default");
    fixture.execute("CREATE TABLE t (id BIGINT NOT NULL, v BIGINT)");
    // a.csv.gz goes through the appender (DuckDB's reader is not given compressed files), and its
    // NULL id fails the table's constraint; b.csv is read by DuckDB itself.
    try (java.io.OutputStream gz =
        new java.util.zip.GZIPOutputStream(
            Files.newOutputStream(fixture.landing.resolve("a.csv.gz")))) {
      gz.write("id,v\n1,1\n,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    fixture.file("b.csv", "id,v\n3,3\n");
    Path pipeline =
        fixture.pipeline(
            """
            name: threads
            source: {path: landing, settle: 0s, match: "*"}
            schema:
              columns:
                - {name: id, type: long}
                - {name: v, type: long}
            target: {path: test.duckdb, table: t, mode: append}
            after_load:
              - "CREATE TABLE IF NOT EXISTS seen AS SELECT current_setting('threads') AS threads"
            """);
    long before = DuckDbTableLoad.filesReadDirectly();

    RunReport report = fixture.run(pipeline);

    assertThat(report.files())
        .extracting(FileReport::file, FileReport::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a.csv.gz", FileStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple("b.csv", FileStatus.LOADED));
    assertThat(DuckDbTableLoad.filesReadDirectly())
        .as("b.csv read by DuckDB")
        .isEqualTo(before + 1);
    assertThat(fixture.query("SELECT id FROM t")).containsExactly("3");
    assertThat(fixture.query("SELECT threads FROM seen")).containsExactly(defaultThreads);
  }
}
