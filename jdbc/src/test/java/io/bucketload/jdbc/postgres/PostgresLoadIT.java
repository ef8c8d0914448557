package io.bucketload.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.error.Fault;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.target.FileStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresLoadIT {
  private static final String CUSTOMERS =
      """
      name: customers
      source: {path: landing, settle: 0s}
      schema:
        key: [id]
        columns:
          - {name: id, type: long, required: true}
          - {name: name, type: string}
          - {name: age, type: int}
          - {name: born, type: date, format: dd-MM-yyyy}
          - {name: balance, type: "decimal(12,2)"}
          - {name: active, type: boolean}
          - {name: seen, type: timestamp}
          - {name: score, type: double}
      """;

  @TempDir Path dir;
  PgFixture pg;

  @BeforeEach
  void setUp() throws Exception {
    pg = new PgFixture(dir);
  }

  private Path customers(String targetKeys) throws Exception {
    return pg.pipeline(CUSTOMERS + pg.target("schema: staging\ntable: customers\n" + targetKeys));
  }

  private static FileReport only(RunReport report) {
    assertThat(report.files()).hasSize(1);
    return report.files().get(0);
  }

  @Test
  void aTriggersLastRunIsKeptInTheLedgerSchema() throws Exception {
    Path pipeline = customers("");
    java.time.Instant due = java.time.Instant.parse("2026-12-01T06:00:00Z");
    try (io.bucketload.core.run.Pipeline loads =
        io.bucketload.core.run.Pipeline.open(pg.spec(pipeline), LoadListener.NONE)) {
      loads.target().ledger().recordTriggered("customers", "schedule", due);
      loads.target().ledger().recordTriggered("customers", "schedule", due.plusSeconds(3600));
    }
    try (io.bucketload.core.run.Pipeline loads =
        io.bucketload.core.run.Pipeline.open(pg.spec(pipeline), LoadListener.NONE)) {
      assertThat(loads.target().ledger().lastTriggered("customers", "schedule"))
          .hasValue(due.plusSeconds(3600));
      assertThat(loads.target().ledger().lastTriggered("customers", "watch")).isEmpty();
    }
    assertThat(pg.query("SELECT count(*) FROM staging.bucketload_triggers")).containsExactly("1");
  }

  @Test
  void createsTheSchemaAndATypedTableAndLoadsEachVersionOnce() throws Exception {
    Path pipeline = customers("mode: upsert");
    pg.file(
        "c.csv",
        """
        id,name,age,born,balance,active,seen,score
        1,"Ann, ""the"" first \\ back",34,01-02-1990,1234.50,true,2026-11-21 10:15:30.123456,1.5
        2,Bob	tab,,,,,,
        3,Łukasz 名前 🎉,7,29-02-2000,-0.01,false,2026-01-01T00:00,-2E10
        """);
    FileReport report = only(pg.run(pipeline));
    assertThat(report.error()).isEmpty();
    assertThat(report.status()).isEqualTo(FileStatus.LOADED);
    assertThat(report.inserted()).isEqualTo(OptionalLong.of(3));
    assertThat(
            pg.query(
                "SELECT column_name || ':' || data_type FROM information_schema.columns"
                    + " WHERE table_schema = 'staging' AND table_name = 'customers'"
                    + " ORDER BY ordinal_position"))
        .containsExactly(
            "id:bigint",
            "name:text",
            "age:integer",
            "born:date",
            "balance:numeric",
            "active:boolean",
            "seen:timestamp without time zone",
            "score:double precision");
    assertThat(pg.query("SELECT * FROM staging.customers ORDER BY id"))
        .containsExactly(
            "1|Ann, \"the\" first \\ back|34|1990-02-01|1234.50|t|2026-11-21 10:15:30.123456|1.5",
            "2|Bob\ttab|null|null|null|null|null|null",
            "3|Łukasz 名前 🎉|7|2000-02-29|-0.01|f|2026-01-01 00:00:00|-20000000000");
    assertThat(pg.query("SELECT status, rows_loaded FROM staging.bucketload_ledger"))
        .containsExactly("loaded|3");

    FileReport again = only(pg.run(pipeline));
    assertThat(again.status()).isEqualTo(FileStatus.SKIPPED);
    assertThat(pg.count("staging.customers")).isEqualTo(3);
  }

  @Test
  void valuesAtTheEdgesOfEachTypeArriveExactly() throws Exception {
    Path pipeline =
        pg.pipeline(
            """
            name: edges
            source: {path: landing, settle: 0s}
            schema:
              columns:
                - {name: i, type: int}
                - {name: l, type: long}
                - {name: d, type: "decimal(38,10)"}
                - {name: w, type: "decimal(30,0)"}
                - {name: t, type: "decimal(12,3)"}
                - {name: v, type: "decimal(14,5)"}
                - {name: f, type: double}
                - {name: day, type: date}
                - {name: at, type: timestamp}
                - {name: s, type: string}
            """
                + pg.target("table: edges"));
    pg.file(
        "e.csv",
        """
        i,l,d,w,t,v,f,day,at,s
        -2147483648,-9223372036854775808,0,0,0.001,-0.00001,-0.0,0001-01-01,0001-01-01 00:00:00,""
        2147483647,9223372036854775807,0.00,-1,-123456789.123,123456789.12345,1.7976931348623157E308,9999-12-31,9999-12-31 23:59:59.999999,é
        0,1,-0.0000000001,123456789012345678901234567890,1.5,10000.0001,4.9E-324,1969-12-31,1999-12-31 23:59:59.999999,名前 🎉
        -1,-1,9999999999999999999999999999.9999999999,-100000000,,,-2.5,2000-01-01,1900-02-28 12:00:00.000001,"a\tb\\c
        d"
        7,70000,-12345678.9,10000,999999999.999,-0.5,1E-7,2000-02-29,2000-01-01 00:00:00,
        """);
    FileReport report = only(pg.run(pipeline));
    assertThat(report.error()).isEmpty();
    assertThat(pg.query("SELECT * FROM edges ORDER BY i"))
        .containsExactly(
            "-2147483648|-9223372036854775808|0.0000000000|0|0.001|-0.00001|-0|0001-01-01"
                + "|0001-01-01 00:00:00|",
            "-1|-1|9999999999999999999999999999.9999999999|-100000000|null|null|-2.5|2000-01-01"
                + "|1900-02-28 12:00:00.000001|a\tb\\c\nd",
            "0|1|-0.0000000001|123456789012345678901234567890|1.500|10000.00010|5e-324|1969-12-31"
                + "|1999-12-31 23:59:59.999999|名前 🎉",
            "7|70000|-12345678.9000000000|10000|999999999.999|-0.50000|1e-07|2000-02-29"
                + "|2000-01-01 00:00:00|null",
            "2147483647|9223372036854775807|0.0000000000|-1|-123456789.123|123456789.12345"
                + "|1.7976931348623157e+308|9999-12-31|9999-12-31 23:59:59.999999|é");
  }

  @Test
  void aCoalesceOfAnIntAndANumberLoadsAsOneType() throws Exception {
    Path pipeline =
        pg.pipeline(
            """
            name: co
            source: {path: landing, settle: 0s}
            schema:
              columns:
                - {name: id, type: int}
                - {name: visits, type: int}
            transform:
              - add: {total: {expr: "coalesce(visits, 0)"}}
            """
                + pg.target("table: co"));
    pg.file("co.csv", "id,visits\n1,5\n2,\n");
    FileReport report = only(pg.run(pipeline));
    assertThat(report.error()).isEmpty();
    assertThat(pg.query("SELECT id, visits, total, pg_typeof(total) FROM co ORDER BY id"))
        .containsExactly("1|5|5|bigint", "2|null|0|bigint");
  }

  @Test
  void aValueWithNulFailsNamingItsLineAndLoadsNothing() throws Exception {
    Path pipeline =
        pg.pipeline("name: nul\nsource: {path: landing, settle: 0s}\n" + pg.target("table: nul"));
    pg.file("nul.csv", "a\nfine\nbad\0value\n");
    FileReport report = only(pg.run(pipeline));
    assertThat(report.status()).isEqualTo(FileStatus.FAILED);
    assertThat(report.fault()).contains(Fault.DATA);
    assertThat(report.error().orElseThrow()).contains("nul.csv line 3").contains("NUL (0x00)");
    assertThat(pg.query("SELECT count(*) FROM pg_tables WHERE tablename = 'nul'"))
        .containsExactly("0");
  }

  @Test
  void aKeyTooLongForItsIndexIsADataFailure() throws Exception {
    Path pipeline =
        pg.pipeline(
            "name: longkey\nsource: {path: landing, settle: 0s}\nschema: {key: [k]}\n"
                + pg.target("table: longkey"));
    // Random text does not compress: the index row is over PostgreSQL's 8191-byte limit.
    java.util.Random random = new java.util.Random(7);
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      key.append((char) ('a' + random.nextInt(26)));
    }
    pg.file("longkey.csv", "k\nshort\n" + key + "\n");

    FileReport report = only(pg.run(pipeline));

    assertThat(report.status()).isEqualTo(FileStatus.FAILED);
    assertThat(report.fault()).contains(Fault.DATA);
    assertThat(report.error().orElseThrow()).contains("index row");
  }

  @Test
  void aColumnNameOverSixtyThreeBytesIsRefusedNamingIt() throws Exception {
    Path pipeline =
        pg.pipeline(
            "name: longcol\nsource: {path: landing, settle: 0s}\n" + pg.target("table: longcol"));
    String name = "id_" + "y".repeat(70);
    pg.file("longcol.csv", name + ",b\n1,2\n");

    FileReport report = only(pg.run(pipeline));

    assertThat(report.status()).isEqualTo(FileStatus.FAILED);
    assertThat(report.fault()).contains(Fault.DATA);
    assertThat(report.error().orElseThrow())
        .isEqualTo(
            "longcol.csv: column '"
                + name
                + "' is 73 bytes; the database keeps 63 bytes of a name: rename it (transform:"
                + " [{rename: {...}}])");
    assertThat(pg.query("SELECT count(*) FROM pg_tables WHERE tablename = 'longcol'"))
        .containsExactly("0");
  }

  @Test
  void aHeaderWithTheNameOfASystemColumnFailsOnItsDataNamingIt() throws Exception {
    // Bounding boxes of map data: xmin, ymin, xmax, ymax.
    Path pipeline =
        pg.pipeline("name: bbox\nsource: {path: landing, settle: 0s}\n" + pg.target("table: bbox"));
    pg.file("bbox.csv", "id,xmin,ymin,xmax,ymax\n1,0,0,10,10\n");

    FileReport report = only(pg.run(pipeline));

    assertThat(report.status()).isEqualTo(FileStatus.FAILED);
    assertThat(report.fault()).contains(Fault.DATA);
    assertThat(report.error().orElseThrow())
        .isEqualTo(
            "bbox.csv: column 'xmin' has the name of a PostgreSQL system column, which no table"
                + " column can have: rename it (transform: [{rename: {xmin: xmin_}}])");
    assertThat(pg.query("SELECT count(*) FROM pg_tables WHERE tablename = 'bbox'"))
        .containsExactly("0");
  }

  @Test
  void everyModeCountsWhatItDid() throws Exception {
    pg.file("a.csv", "id,name\n1,a\n2,b\n3,c\n");
    String keyed =
        """
        name: m
        source: {path: landing, settle: 0s, match: "%s"}
        schema:
          key: [id]
          columns: [{name: id, type: int}, name]
        """;
    Path upsert = pg.pipeline(keyed.formatted("a.csv") + pg.target("table: t\nmode: upsert"));
    assertThat(only(pg.run(upsert)).inserted()).isEqualTo(OptionalLong.of(3));

    // upsert: 1 unchanged, 2 updated (the last of its two rows wins), 4 new
    pg.file("b.csv", "id,name\n1,a\n2,x\n2,bb\n4,d\n");
    FileReport upserted =
        only(pg.run(pg.pipeline(keyed.formatted("b.csv") + pg.target("table: t\nmode: upsert"))));
    assertThat(upserted.error()).isEmpty();
    assertThat(upserted.rowsLoaded()).isEqualTo(3);
    assertThat(upserted.inserted()).isEqualTo(OptionalLong.of(1));
    assertThat(upserted.updated()).isEqualTo(OptionalLong.of(1));
    assertThat(upserted.unchanged()).isEqualTo(OptionalLong.of(1));
    assertThat(upserted.warnings()).anyMatch(w -> w.contains("repeated the key"));
    assertThat(pg.query("SELECT id, name FROM t ORDER BY id"))
        .containsExactly("1|a", "2|bb", "3|c", "4|d");

    // insert_new: existing keys untouched
    pg.file("c.csv", "id,name\n1,zzz\n5,e\n");
    FileReport inserted =
        only(
            pg.run(
                pg.pipeline(keyed.formatted("c.csv") + pg.target("table: t\nmode: insert_new"))));
    assertThat(inserted.inserted()).isEqualTo(OptionalLong.of(1));
    assertThat(inserted.unchanged()).isEqualTo(OptionalLong.of(1));
    assertThat(pg.query("SELECT name FROM t WHERE id = 1")).containsExactly("a");

    // sync: upsert, then delete the keys absent from the file
    pg.file("d.csv", "id,name\n1,a\n2,two\n9,nine\n");
    FileReport synced =
        only(pg.run(pg.pipeline(keyed.formatted("d.csv") + pg.target("table: t\nmode: sync"))));
    assertThat(synced.inserted()).isEqualTo(OptionalLong.of(1));
    assertThat(synced.updated()).isEqualTo(OptionalLong.of(1));
    assertThat(synced.unchanged()).isEqualTo(OptionalLong.of(1));
    assertThat(synced.deleted()).isEqualTo(OptionalLong.of(3));
    assertThat(pg.query("SELECT id, name FROM t ORDER BY id"))
        .containsExactly("1|a", "2|two", "9|nine");

    // replace with a key: the table becomes the file
    pg.file("e.csv", "id,name\n7,g\n7,h\n");
    FileReport replaced =
        only(pg.run(pg.pipeline(keyed.formatted("e.csv") + pg.target("table: t\nmode: replace"))));
    assertThat(replaced.deleted()).isEqualTo(OptionalLong.of(3));
    assertThat(replaced.inserted()).isEqualTo(OptionalLong.of(1));
    assertThat(pg.query("SELECT id, name FROM t")).containsExactly("7|h");

    // append and replace without a key go straight into the table
    String plain = "name: p\nsource: {path: landing, settle: 0s, match: \"%s\"}\n";
    pg.file("f.csv", "x,y\n1,2\n3,4\n");
    assertThat(
            only(pg.run(pg.pipeline(plain.formatted("f.csv") + pg.target("table: u")))).inserted())
        .isEqualTo(OptionalLong.of(2));
    pg.file("g.csv", "x,y\n5,6\n");
    FileReport swapped =
        only(pg.run(pg.pipeline(plain.formatted("g.csv") + pg.target("table: u\nmode: replace"))));
    assertThat(swapped.deleted()).isEqualTo(OptionalLong.of(2));
    assertThat(pg.query("SELECT x, y FROM u")).containsExactly("5|6");
  }

  @Test
  void aRefusedRowNamesItsLineAndCommitsNothing() throws Exception {
    pg.execute("CREATE TABLE narrow (code varchar(3), n integer)");
    Path pipeline =
        pg.pipeline(
            "name: n\nsource: {path: landing, settle: 0s}\nschema:\n  columns: [code, {name: n, type: int}]\n"
                + pg.target("table: narrow"));
    pg.file("n.csv", "code,n\nabc,1\n\"x\ny\",2\nabc,3\nlong,4\n");
    FileReport report = only(pg.run(pipeline));
    assertThat(report.status()).isEqualTo(FileStatus.FAILED);
    assertThat(report.fault()).contains(Fault.DATA);
    assertThat(report.error().orElseThrow())
        .contains("value too long for type character varying(3)")
        .contains("line 6 of n.csv")
        .contains("column code");
    assertThat(pg.count("narrow")).isZero();
    assertThat(pg.query("SELECT status FROM bucketload_ledger")).containsExactly("failed");
  }

  @Test
  void appendOfARepeatedKeyNamesTheKeyAndTheLine() throws Exception {
    Path pipeline =
        pg.pipeline(
            "name: k\nsource: {path: landing, settle: 0s}\nschema:\n  key: [id]\n  columns: [{name: id, type: int}]\n"
                + pg.target("table: k"));
    pg.file("k.csv", "id\n1\n2\n1\n");
    FileReport report = only(pg.run(pipeline));
    assertThat(report.error().orElseThrow())
        .contains("Key (id)=(1) already exists")
        .contains("line 4 of k.csv")
        .contains("use upsert or insert_new");
    assertThat(pg.query("SELECT count(*) FROM pg_tables WHERE tablename = 'k'"))
        .containsExactly("0");
  }

  @Test
  void hostileColumnNamesAreData() throws Exception {
    Path pipeline =
        pg.pipeline(
            "name: h\nsource: {path: landing, settle: 0s}\n" + pg.target("table: \"h; drop\""));
    pg.file("h.csv", "\"a\"\"; DROP TABLE bucketload_ledger; --\",名前,\"with space\"\n1,太郎,x\n");
    assertThat(only(pg.run(pipeline)).status()).isEqualTo(FileStatus.LOADED);
    assertThat(
            pg.query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'h; drop'"
                    + " ORDER BY ordinal_position"))
        .containsExactly("a\"; DROP TABLE bucketload_ledger; --", "名前", "with space");
    assertThat(pg.count("bucketload_ledger")).isEqualTo(1);
  }

  @Test
  void aSchemaDifferingInCaseFromAnExistingOneIsRefusedNotCreated() throws Exception {
    pg.execute("CREATE SCHEMA staging");
    Path pipeline =
        pg.pipeline(
            "name: s\nsource: {path: landing, settle: 0s}\n"
                + pg.target("schema: Staging\ntable: t"));
    pg.file("t.csv", "id\n1\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> pg.run(pipeline))
        .isInstanceOf(io.bucketload.core.error.ConfigException.class)
        .hasMessage(
            "target.schema: 'Staging' does not exist, but 'staging' does; bucketload keeps a"
                + " name's case (it quotes names), so it would create a second schema: write"
                + " schema: staging");
    assertThat(pg.query("SELECT count(*) FROM pg_namespace WHERE nspname = 'Staging'"))
        .containsExactly("0");
  }

  @Test
  void anExistingTableThatDoesNotMatchIsNamedWithTheDifference() throws Exception {
    pg.execute("CREATE TABLE t (id integer, name integer)");
    Path pipeline =
        pg.pipeline(
            "name: t\nsource: {path: landing, settle: 0s}\nschema:\n  key: [id]\n  columns: [{name: id, type: int}, name, extra]\n"
                + pg.target("table: t\nmode: upsert"));
    pg.file("t.csv", "id,name,extra\n1,a,b\n");
    FileReport report = only(pg.run(pipeline));
    assertThat(report.error().orElseThrow())
        .contains("table public.t does not match the pipeline")
        .contains("column 'name' is integer in the table, the pipeline loads text")
        .contains("the table has no column 'extra' (text)");

    pg.execute("DROP TABLE t; CREATE TABLE t (id integer, name text, extra text)");
    assertThat(only(pg.run(pipeline)).error().orElseThrow())
        .contains("has no primary key or unique constraint on (id)")
        .contains("ADD PRIMARY KEY (\"id\")");
    pg.execute("ALTER TABLE t ADD PRIMARY KEY (id)");
    assertThat(only(pg.run(pipeline)).status()).isEqualTo(FileStatus.LOADED);
  }

  /** A pipeline loading big.csv (200,000 rows) and then z.csv (one row) into table big. */
  private Path bigThenSmall() throws Exception {
    StringBuilder csv = new StringBuilder("id,name\n");
    for (int i = 0; i < 200_000; i++) {
      csv.append(i).append(",name ").append(i).append('\n');
    }
    pg.file("big.csv", csv.toString());
    pg.file("z.csv", "id,name\n-1,z\n");
    return pg.pipeline(
        "name: big\nsource: {path: landing, settle: 0s}\nschema:\n  columns: [{name: id, type: int}, name]\n"
            + pg.target("table: big"));
  }

  /**
   * Ends bucketload's session once 50,000 rows of a file were read, after running {@code first}
   * (which may keep new sessions out).
   */
  private LoadListener terminator(AtomicBoolean terminated, String first) {
    return new LoadListener() {
      @Override
      public void progress(SourceObject object, long rowsRead, long bytesRead) {
        if (rowsRead > 50_000 && terminated.compareAndSet(false, true)) {
          try {
            PostgresServer.execute(admin(), first);
            endSessions();
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    };
  }

  /**
   * A started webhook receiver on loopback at {@code /hook}: adds each message's body to {@code
   * posted} and answers 200, or 404 to the first {@code refused} messages.
   */
  private static com.sun.net.httpserver.HttpServer webhook(
      java.util.List<String> posted, int refused) throws java.io.IOException {
    com.sun.net.httpserver.HttpServer hook =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        exchange -> {
          posted.add(
              new String(
                  exchange.getRequestBody().readAllBytes(),
                  java.nio.charset.StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(posted.size() <= refused ? 404 : 200, -1);
          exchange.close();
        });
    hook.start();
    return hook;
  }

  /** Ends bucketload's sessions with the test's database, as a server restart would. */
  private void endSessions() throws java.sql.SQLException {
    PostgresServer.execute(
        admin(),
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            + " WHERE application_name = 'bucketload' AND datname = '"
            + database()
            + "'");
  }

  private String database() {
    return pg.url.substring(pg.url.lastIndexOf('/') + 1);
  }

  private String admin() {
    return pg.url.substring(0, pg.url.lastIndexOf('/') + 1) + "postgres";
  }

  @Test
  void theServerGoingAwayMidLoadFailsThatFileTheNextLoadAndTheRetryLoadsIt() throws Exception {
    Path pipeline = bigThenSmall();
    AtomicBoolean terminated = new AtomicBoolean();
    RunReport run = pg.run(pipeline, terminator(terminated, "SELECT 1"));
    assertThat(terminated).isTrue();
    FileReport failed = run.files().get(0);
    assertThat(failed.status()).isEqualTo(FileStatus.FAILED);
    assertThat(failed.fault()).contains(Fault.SYSTEM);
    assertThat(failed.warnings()).isEmpty();
    // The connection is opened again for the next file, which loads.
    assertThat(run.files().get(1).status()).isEqualTo(FileStatus.LOADED);
    assertThat(pg.query("SELECT id FROM big")).containsExactly("-1");
    assertThat(pg.query("SELECT file, status FROM bucketload_ledger ORDER BY file"))
        .containsExactly("big.csv|failed", "z.csv|loaded");

    RunReport retried = pg.run(pipeline);
    assertThat(retried.files().get(0).status()).isEqualTo(FileStatus.LOADED);
    assertThat(pg.count("big")).isEqualTo(200_001);
    assertThat(pg.query("SELECT sum(id) FROM big")).containsExactly("19999899999");
  }

  @Test
  void aServerThatCannotBeReachedAgainLeavesTheRunsOtherFilesWaiting() throws Exception {
    Path pipeline = bigThenSmall();
    AtomicBoolean terminated = new AtomicBoolean();
    RunReport run;
    RunReport again;
    // One pipeline for two runs, as a service keeps it: the second run tries the server again.
    try (io.bucketload.core.run.Pipeline served =
        io.bucketload.core.run.Pipeline.open(
            pg.spec(pipeline),
            terminator(
                terminated, "ALTER DATABASE \"" + database() + "\" ALLOW_CONNECTIONS false"))) {
      try {
        run = served.run(java.util.List.of(), io.bucketload.core.run.RunOptions.LOAD);
      } finally {
        PostgresServer.execute(
            admin(), "ALTER DATABASE \"" + database() + "\" ALLOW_CONNECTIONS true");
      }
      again = served.run(java.util.List.of(), io.bucketload.core.run.RunOptions.LOAD);
    }
    assertThat(run.files().get(0).status()).isEqualTo(FileStatus.FAILED);
    assertThat(run.files().get(0).warnings())
        .singleElement()
        .asString()
        .startsWith("the failure could not be recorded in the ledger: connecting again to ")
        .contains("is not currently accepting connections");
    FileReport waiting = run.files().get(1);
    assertThat(waiting.status()).isEqualTo(FileStatus.WAITING);
    assertThat(waiting.note().orElseThrow())
        .startsWith(
            "not tried: the connection to the server was lost during the run and could not be"
                + " opened again (connecting again to ")
        .endsWith("); it loads at the next run");
    assertThat(again.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.LOADED, FileStatus.LOADED);
    assertThat(pg.count("big")).isEqualTo(200_001);
  }

  @Test
  @org.junit.jupiter.api.Timeout(60) // without loginTimeout the attempt never returns
  void aServerThatAcceptsAndNeverAnswersFailsWithinConnectTimeout() throws Exception {
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (java.io.IOException closed) {
                  // The test is over.
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Path pipeline =
          pg.pipeline(
              "name: silent\nsource: {path: landing, settle: 0s}\ntarget:\n  type: postgres\n"
                  + "  url: jdbc:postgresql://127.0.0.1:"
                  + silent.getLocalPort()
                  + "/x\n  user: postgres\n  connect_timeout: 2\n");
      assertThatThrownBy(
              () -> io.bucketload.core.run.Pipeline.open(pg.spec(pipeline), LoadListener.NONE))
          .isInstanceOf(io.bucketload.core.error.TargetException.class)
          .hasMessageContaining("127.0.0.1:" + silent.getLocalPort());
      assertThat(held).isNotEmpty();
      for (java.net.Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void anOutageOfTheDatabaseIsNotifiedOnceNotAtEveryRetry() throws Exception {
    java.util.List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
    // The first message is refused for good (a 404 is not retried): not told yet.
    com.sun.net.httpserver.HttpServer hook = webhook(posted, 1);
    Path pipeline =
        pg.pipeline(
            "name: outage\nsource: {path: landing, settle: 0s}\n"
                + "schema:\n  columns: [{name: id, type: int}, name]\n"
                + pg.target("table: outage")
                + "notify:\n  - webhook: {url: \"http://127.0.0.1:"
                + hook.getAddress().getPort()
                + "/hook\"}\n");
    String closed = "ALTER DATABASE \"" + database() + "\" ALLOW_CONNECTIONS false";
    String open = "ALTER DATABASE \"" + database() + "\" ALLOW_CONNECTIONS true";
    java.util.List<RunReport> runs = new java.util.ArrayList<>();
    // One pipeline for every run, as a service keeps it; each run is a retry of the watch.
    String source;
    try (io.bucketload.core.run.Pipeline served =
        io.bucketload.core.run.Pipeline.open(pg.spec(pipeline), LoadListener.NONE)) {
      source = served.source().describe();
      pg.file("a.csv", "id,name\n1,a\n");
      try {
        PostgresServer.execute(admin(), closed);
        endSessions();
        for (int retry = 0; retry < 4; retry++) {
          runs.add(served.run(java.util.List.of(), io.bucketload.core.run.RunOptions.LOAD));
        }
      } finally {
        PostgresServer.execute(admin(), open);
      }
      runs.add(served.run(java.util.List.of(), io.bucketload.core.run.RunOptions.LOAD));
      // A second outage is news again.
      pg.file("b.csv", "id,name\n2,b\n");
      try {
        PostgresServer.execute(admin(), closed);
        endSessions();
        runs.add(served.run(java.util.List.of(), io.bucketload.core.run.RunOptions.LOAD));
      } finally {
        PostgresServer.execute(admin(), open);
      }
    } finally {
      hook.stop(0);
    }

    // The server is down as each run starts: the run fails as a whole, naming the server, and
    // no file is blamed.
    for (RunReport failed : runs.subList(0, 4)) {
      assertThat(failed.files())
          .singleElement()
          .satisfies(
              whole -> {
                assertThat(whole.file()).isEqualTo(source);
                assertThat(whole.fault()).contains(Fault.SYSTEM);
                assertThat(whole.error().orElseThrow())
                    .startsWith("the run failed: connecting again to ")
                    .contains("is not currently accepting connections")
                    .endsWith("; none of its 1 file(s) was tried");
              });
    }
    // The first notification was refused: the second failure is told, and only it.
    for (RunReport first : runs.subList(0, 2)) {
      assertThat(first.files().get(0).outcome())
          .isEqualTo(
              new io.bucketload.core.run.FileOutcome.FailedOnSystem(
                  first.files().get(0).error().orElseThrow(), java.util.Optional.empty()));
    }
    assertThat(runs.get(0).notifications())
        .singleElement()
        .extracting(io.bucketload.core.notify.Delivered::delivered)
        .isEqualTo(false);
    String told = runs.get(1).runId();
    for (RunReport repeated : runs.subList(2, 4)) {
      assertThat(repeated.files().get(0).outcome())
          .isInstanceOfSatisfying(
              io.bucketload.core.run.FileOutcome.FailedOnSystem.class,
              failed -> assertThat(failed.toldIn()).contains(told));
      assertThat(repeated.notifications()).isEmpty();
      assertThat(
              io.bucketload.core.run.RunReportJson.toJson(repeated)
                  .at("/files/0/repeats_run")
                  .asText())
          .isEqualTo(told);
    }
    assertThat(runs.get(4).files())
        .singleElement()
        .extracting(FileReport::status)
        .isEqualTo(FileStatus.LOADED);
    // A second outage, with a.csv loaded and b.csv new: neither is blamed.
    assertThat(runs.get(5).files())
        .singleElement()
        .satisfies(
            whole ->
                assertThat(whole.error().orElseThrow())
                    .endsWith("; none of its 2 file(s) was tried"));
    assertThat(posted).hasSize(4);
    assertThat(posted.get(0)).contains("outage: 1 failed (connecting again to ");
    assertThat(posted.get(1)).contains("outage: 1 failed (connecting again to ");
    assertThat(posted.get(2)).contains("outage: 1 loaded\"");
    assertThat(posted.get(3)).contains("outage: 1 failed (connecting again to ");
    assertThat(pg.query("SELECT id FROM outage")).containsExactly("1");
  }

  @Test
  void anOutageThatBeginsMidLoadIsNotifiedOnceWhenTheNextRunCannotReachTheServer()
      throws Exception {
    java.util.List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer hook = webhook(posted, 0);
    Path pipeline = bigThenSmall();
    Files.writeString(
        pipeline,
        Files.readString(pipeline)
            + "notify:\n  - webhook: {url: \"http://127.0.0.1:"
            + hook.getAddress().getPort()
            + "/hook\"}\n");
    String closed = "ALTER DATABASE \"" + database() + "\" ALLOW_CONNECTIONS false";
    String open = "ALTER DATABASE \"" + database() + "\" ALLOW_CONNECTIONS true";
    AtomicBoolean terminated = new AtomicBoolean();
    java.util.List<RunReport> runs = new java.util.ArrayList<>();
    // One pipeline for every run, as a service keeps it: the server goes away in the middle of
    // big.csv, and is still away when the next run starts.
    try (io.bucketload.core.run.Pipeline served =
        io.bucketload.core.run.Pipeline.open(pg.spec(pipeline), terminator(terminated, closed))) {
      try {
        runs.add(served.run(java.util.List.of(), io.bucketload.core.run.RunOptions.LOAD));
        assertThat(terminated).isTrue();
        runs.add(served.run(java.util.List.of(), io.bucketload.core.run.RunOptions.LOAD));
      } finally {
        PostgresServer.execute(admin(), open);
      }
      runs.add(served.run(java.util.List.of(), io.bucketload.core.run.RunOptions.LOAD));
    } finally {
      hook.stop(0);
    }

    FileReport cut = runs.get(0).files().get(0);
    assertThat(cut.file()).isEqualTo("big.csv");
    assertThat(cut.fault()).contains(Fault.SYSTEM);
    assertThat(runs.get(0).notifications())
        .singleElement()
        .extracting(io.bucketload.core.notify.Delivered::delivered)
        .isEqualTo(true);
    // The next run fails as a whole: the same outage, told in the first run, not news.
    FileReport whole = runs.get(1).files().get(0);
    assertThat(whole.error().orElseThrow()).startsWith("the run failed: connecting again to ");
    assertThat(whole.outcome())
        .isInstanceOfSatisfying(
            io.bucketload.core.run.FileOutcome.FailedOnSystem.class,
            failed -> assertThat(failed.toldIn()).contains(runs.get(0).runId()));
    assertThat(runs.get(1).notifications()).isEmpty();
    assertThat(runs.get(2).files()).extracting(FileReport::status).containsOnly(FileStatus.LOADED);
    assertThat(posted).hasSize(2);
    assertThat(posted.get(0)).contains("big: 1 failed");
    assertThat(posted.get(1)).contains("big: 2 loaded");
    assertThat(pg.count("big")).isEqualTo(200_001);
  }

  @Test
  void aSessionEndedBetweenTwoRunsOfAServiceIsOpenedAgainBeforeTheNextRun() throws Exception {
    pg.file("a.csv", "id,name\n1,a\n");
    Path pipeline =
        pg.pipeline(
            "name: kept\nsource: {path: landing, settle: 0s}\nschema:\n  columns: [{name: id, type: int}, name]\n"
                + pg.target("table: kept"));
    try (io.bucketload.core.run.Pipeline served =
        io.bucketload.core.run.Pipeline.open(pg.spec(pipeline), LoadListener.NONE)) {
      RunReport first = served.run(java.util.List.of(), io.bucketload.core.run.RunOptions.LOAD);
      // The server ends the idle session (a restart, an administrator): the driver cannot know.
      endSessions();
      pg.file("b.csv", "id,name\n2,b\n");
      RunReport second = served.run(java.util.List.of(), io.bucketload.core.run.RunOptions.LOAD);

      assertThat(only(first).status()).isEqualTo(FileStatus.LOADED);
      assertThat(second.files())
          .extracting(FileReport::status)
          .containsExactly(FileStatus.SKIPPED, FileStatus.LOADED);
    }
    assertThat(pg.count("kept")).isEqualTo(2);
  }

  @Test
  void thePasswordNeverAppearsInAMessage() throws Exception {
    Path pipeline =
        pg.pipeline(
            "name: p\nsource: {path: landing, settle: 0s}\ntarget:\n  type: postgres\n  url: "
                + pg.url
                + "?user=nobody&password=${PGPASSWORD}\n  table: p\n");
    pg.file("p.csv", "a\n1\n");
    assertThatThrownBy(() -> pg.run(pipeline))
        .hasMessageContaining("role \"nobody\" does not exist")
        .hasMessageNotContaining("password")
        .hasMessageNotContaining(PgFixture.PASSWORD + "&");
  }

  @Test
  void aMissingOrBadUrlIsAConfigurationError() throws Exception {
    Path pipeline =
        pg.pipeline("name: p\nsource: {path: landing, settle: 0s}\ntarget: {type: postgres}\n");
    assertThatThrownBy(
            () ->
                io.bucketload.core.target.Targets.factoryFor(pg.spec(pipeline))
                    .check(pg.spec(pipeline).target(), pg.spec(pipeline).modes()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pipeline.yaml: target.url: missing");
    Path bad =
        pg.pipeline(
            "name: p\nsource: {path: landing, settle: 0s}\ntarget:\n  type: postgres\n  url: postgres://x\n  sslmode: maybe\n");
    assertThatThrownBy(
            () ->
                io.bucketload.core.target.Targets.factoryFor(pg.spec(bad))
                    .check(pg.spec(bad).target(), pg.spec(bad).modes()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("target.url: expected a URL such as jdbc:postgresql://");
    Path badPort =
        pg.pipeline(
            "name: p\nsource: {path: landing, settle: 0s}\ntarget:\n  type: postgres\n"
                + "  url: jdbc:postgresql://127.0.0.1:fivefour/db?password=s3cret\n  table: p\n");
    assertThatThrownBy(
            () ->
                io.bucketload.core.target.Targets.factoryFor(pg.spec(badPort))
                    .check(pg.spec(badPort).target(), pg.spec(badPort).modes()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("found 'jdbc:postgresql://127.0.0.1:fivefour/db'")
        .hasMessageNotContaining("s3cret");
    assertThat(Files.exists(dir.resolve("pipeline.yaml"))).isTrue();
  }
}
