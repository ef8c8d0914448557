package io.bucketload.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.error.Fault;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.target.FileStatus;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads into tables a user made: partitioned, with triggers, generated columns, or not tables. */
class PostgresExistingTablesIT {
  private static final String KEYED =
      """
      name: e
      source: {path: landing, settle: 0s, match: "%s"}
      schema:
        key: [id]
        columns: [{name: id, type: int}, name]
      """;

  @TempDir Path dir;
  PgFixture pg;

  @BeforeEach
  void setUp() throws Exception {
    pg = new PgFixture(dir);
  }

  private FileReport load(String file, String target) throws Exception {
    RunReport report = pg.run(pg.pipeline(KEYED.formatted(file) + pg.target(target)));
    assertThat(report.files()).hasSize(1);
    return report.files().get(0);
  }

  @Test
  void upsertAndSyncIntoAPartitionedTableCountWhatTheyDid() throws Exception {
    pg.execute(
        "CREATE TABLE p (id integer PRIMARY KEY, name text) PARTITION BY RANGE (id);"
            + " CREATE TABLE p_low PARTITION OF p FOR VALUES FROM (0) TO (100);"
            + " CREATE TABLE p_high PARTITION OF p FOR VALUES FROM (100) TO (1000)");
    pg.file("a.csv", "id,name\n1,a\n2,b\n150,c\n");
    FileReport first = load("a.csv", "table: p\nmode: upsert");
    assertThat(first.error()).isEmpty();
    assertThat(first.inserted()).isEqualTo(OptionalLong.of(3));

    pg.file("b.csv", "id,name\n1,a\n2,bb\n150,cc\n500,d\n");
    FileReport upserted = load("b.csv", "table: p\nmode: upsert");
    assertThat(upserted.inserted()).isEqualTo(OptionalLong.of(1));
    assertThat(upserted.updated()).isEqualTo(OptionalLong.of(2));
    assertThat(upserted.unchanged()).isEqualTo(OptionalLong.of(1));

    pg.file("c.csv", "id,name\n2,bb\n150,x\n7,g\n");
    FileReport synced = load("c.csv", "table: p\nmode: sync");
    assertThat(synced.inserted()).isEqualTo(OptionalLong.of(1));
    assertThat(synced.updated()).isEqualTo(OptionalLong.of(1));
    assertThat(synced.unchanged()).isEqualTo(OptionalLong.of(1));
    assertThat(synced.deleted()).isEqualTo(OptionalLong.of(2));
    assertThat(pg.query("SELECT id, name FROM p ORDER BY id"))
        .containsExactly("2|bb", "7|g", "150|x");
  }

  @Test
  void rowsATriggerSkipsAreNotCountedAsLoaded() throws Exception {
    pg.execute(
        "CREATE TABLE t (id integer PRIMARY KEY, name text);"
            + " CREATE FUNCTION skip_b() RETURNS trigger AS $$ BEGIN"
            + " IF NEW.name = 'b' THEN RETURN NULL; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;"
            + " CREATE TRIGGER skip_b BEFORE INSERT OR UPDATE ON t FOR EACH ROW"
            + " EXECUTE FUNCTION skip_b()");
    pg.file("a.csv", "id,name\n1,a\n2,b\n3,c\n");
    FileReport appended = load("a.csv", "table: t");
    assertThat(appended.status()).isEqualTo(FileStatus.LOADED);
    assertThat(appended.rowsLoaded()).isEqualTo(2);
    assertThat(appended.inserted()).isEqualTo(OptionalLong.of(2));
    assertThat(appended.warnings())
        .containsExactly(
            "1 row(s) were skipped by the table: a trigger on it returned no row for them");

    // A merge cannot tell a row the trigger skipped from one that was unchanged: it says neither.
    pg.file("b.csv", "id,name\n1,a\n2,b\n3,cc\n4,d\n");
    FileReport upserted = load("b.csv", "table: t\nmode: upsert");
    assertThat(upserted.inserted()).isEqualTo(OptionalLong.of(1));
    assertThat(upserted.updated()).isEqualTo(OptionalLong.of(1));
    assertThat(upserted.unchanged()).isEmpty();
    assertThat(upserted.rowsLoaded()).as("the file's keys").isEqualTo(4);
    assertThat(upserted.warnings()).isEmpty();
    assertThat(pg.query("SELECT id, name FROM t ORDER BY id"))
        .containsExactly("1|a", "3|cc", "4|d");
  }

  @Test
  void aViewAGeneratedColumnOrADeferrableKeyIsAConfigurationError() throws Exception {
    pg.file("a.csv", "id,name\n1,a\n");
    pg.execute(
        "CREATE TABLE base (id integer PRIMARY KEY, name text);"
            + " CREATE VIEW v AS SELECT * FROM base");
    FileReport view = load("a.csv", "table: v");
    assertThat(view.fault()).contains(Fault.CONFIG);
    assertThat(view.error().orElseThrow())
        .isEqualTo(
            "public.v is a view, not a table: bucketload loads into tables. Name a table in the"
                + " pipeline's table, or a new name for bucketload to create.");

    pg.execute(
        "CREATE TABLE g (id integer PRIMARY KEY, name text GENERATED ALWAYS AS ('x') STORED)");
    FileReport generated = load("a.csv", "table: g");
    assertThat(generated.fault()).contains(Fault.CONFIG);
    assertThat(generated.error().orElseThrow())
        .contains(
            "column 'name' is generated by the table (GENERATED ALWAYS), which takes no values"
                + " for it");

    pg.execute("CREATE TABLE d (id integer, name text, CONSTRAINT d_id UNIQUE (id) DEFERRABLE)");
    FileReport deferrable = load("a.csv", "table: d\nmode: upsert");
    assertThat(deferrable.fault()).contains(Fault.CONFIG);
    assertThat(deferrable.error().orElseThrow())
        .contains("its unique constraint on (id) is DEFERRABLE")
        .contains(
            "ALTER TABLE \"public\".\"d\" DROP CONSTRAINT \"d_id\", ADD CONSTRAINT \"d_id\""
                + " UNIQUE (\"id\")");
    assertThat(pg.count("base") + pg.count("d")).isZero();
  }

  @Test
  void aNameMatchingTwoTablesInCaseOnlyIsRefusedAndAnExactOneIsTaken() throws Exception {
    pg.execute(
        "CREATE TABLE \"Twin\" (id integer PRIMARY KEY, name text);"
            + " CREATE TABLE \"TWIN\" (id integer PRIMARY KEY, name text)");
    pg.file("a.csv", "id,name\n1,a\n");
    FileReport twins = load("a.csv", "table: twin");
    assertThat(twins.fault()).contains(Fault.CONFIG);
    assertThat(twins.error().orElseThrow())
        .isEqualTo(
            "table public.twin matches \"TWIN\" and \"Twin\", which differ only in case: name one"
                + " of them exactly in the pipeline's table.");

    assertThat(load("a.csv", "table: Twin").status()).isEqualTo(FileStatus.LOADED);
    assertThat(pg.count("\"Twin\"")).isEqualTo(1);
    assertThat(pg.count("\"TWIN\"")).isZero();
  }

  @Test
  void timestampsLoadIntoTimestampWithTimeZoneAsUtcWhateverTheSessionsZone() throws Exception {
    String database = pg.url.substring(pg.url.lastIndexOf('/') + 1);
    pg.execute("ALTER DATABASE \"" + database + "\" SET timezone = 'America/New_York'");
    pg.execute("CREATE TABLE z (id integer PRIMARY KEY, at timestamp with time zone)");
    String pipeline =
        """
        name: z
        source: {path: landing, settle: 0s, match: "%s"}
        schema:
          key: [id]
          columns: [{name: id, type: int}, {name: at, type: timestamp}]
        """;
    pg.file("a.csv", "id,at\n1,2026-07-01T12:00:00Z\n");
    pg.file("b.csv", "id,at\n2,2026-07-01T14:00:00+02:00\n");
    assertThat(
            pg.run(pg.pipeline(pipeline.formatted("a.csv") + pg.target("table: z")))
                .files()
                .get(0)
                .status())
        .isEqualTo(FileStatus.LOADED);
    assertThat(
            pg.run(pg.pipeline(pipeline.formatted("b.csv") + pg.target("table: z\nmode: upsert")))
                .files()
                .get(0)
                .status())
        .isEqualTo(FileStatus.LOADED);
    assertThat(pg.query("SELECT id, to_char(at AT TIME ZONE 'UTC', 'HH24:MI') FROM z ORDER BY id"))
        .containsExactly("1|12:00", "2|12:00");
  }

  @Test
  void aTypeNoPipelineTypeLoadsIsSaidSo() throws Exception {
    pg.execute("CREATE TABLE u (id bigint PRIMARY KEY, name uuid)");
    pg.file("a.csv", "id,name\n1,a\n");
    FileReport report = load("a.csv", "table: u");
    assertThat(report.error().orElseThrow())
        .contains(
            "column 'id' is bigint in the table, the pipeline loads integer (type long loads"
                + " into it)")
        .contains(
            "column 'name' is uuid in the table, the pipeline loads text (no pipeline type loads"
                + " into uuid: load into a column of another type, or convert in after_load SQL)");
  }

  @Test
  void replacingRowsAnotherTableReferencesNamesTheKeyAndWhatToDo() throws Exception {
    pg.execute(
        "CREATE TABLE parent (id integer PRIMARY KEY, name text);"
            + " INSERT INTO parent VALUES (1, 'a');"
            + " CREATE TABLE child (parent_id integer REFERENCES parent (id));"
            + " INSERT INTO child VALUES (1)");
    pg.file("a.csv", "id,name\n1,a\n2,b\n");
    String plain =
        "name: r\nsource: {path: landing, settle: 0s}\nschema:\n  columns: [{name: id, type: int},"
            + " name]\n";
    for (java.nio.file.Path pipeline :
        java.util.List.of(
            pg.pipeline(plain + pg.target("table: parent\nmode: replace")),
            pg.pipeline(KEYED.formatted("a.csv") + pg.target("table: parent\nmode: replace")))) {
      RunReport run = pg.run(pipeline);
      FileReport failed = run.files().get(0);
      assertThat(failed.fault()).contains(Fault.CONFIG);
      assertThat(failed.error().orElseThrow())
          .contains("violates foreign key constraint \"child_parent_id_fkey\"")
          .contains("Key (id)=(1) is still referenced from table \"child\"")
          .contains("Mode replace deletes every row of the table before it loads the file's");
    }
    assertThat(pg.query("SELECT id, name FROM parent")).containsExactly("1|a");
  }

  /**
   * Loads c.csv (ids 1 and 2, of parents 1 and 99; only 1 exists) into table {@code child}, made
   * with a reference to table parent (with {@code referenceOptions}); returns its report.
   */
  private FileReport childRows(String child, String referenceOptions, String target)
      throws Exception {
    pg.execute(
        "CREATE TABLE parent (id integer PRIMARY KEY); INSERT INTO parent VALUES (1);"
            + " CREATE TABLE "
            + child
            + " (id integer, parent_id integer REFERENCES parent (id)"
            + referenceOptions
            + ")");
    pg.file("c.csv", "id,parent_id\n1,1\n2,99\n");
    java.nio.file.Path pipeline =
        pg.pipeline(
            "name: c\nsource: {path: landing, settle: 0s}\nschema:\n  columns: [{name: id, type:"
                + " int}, {name: parent_id, type: int}]\n"
                + pg.target(target));
    return pg.run(pipeline).files().get(0);
  }

  @Test
  void aRowOfAReplacedChildTableWithAnUnknownParentIsTheFilesFaultWithoutReplaceAdvice()
      throws Exception {
    FileReport failed = childRows("orders", "", "table: orders\nmode: replace");

    assertThat(failed.fault()).contains(Fault.DATA);
    assertThat(failed.error().orElseThrow())
        .contains("Key (parent_id)=(99) is not present in table \"parent\"")
        .doesNotContain("Mode replace deletes");
  }

  @Test
  void syncIntoATableWhoseTriggerRewritesTheKeyIsRefusedAndDeletesNothing() throws Exception {
    pg.execute(
        "CREATE TABLE sk (id text PRIMARY KEY, name text); INSERT INTO sk VALUES ('X', 'kept');"
            + " CREATE FUNCTION upper_id() RETURNS trigger AS $$ BEGIN"
            + " NEW.id := upper(NEW.id); RETURN NEW; END $$ LANGUAGE plpgsql;"
            + " CREATE TRIGGER upper_id BEFORE INSERT OR UPDATE ON sk FOR EACH ROW"
            + " EXECUTE FUNCTION upper_id()");
    pg.file("s.csv", "id,name\na,1\nb,2\n");
    java.nio.file.Path pipeline =
        pg.pipeline(
            "name: s\nsource: {path: landing, settle: 0s}\nschema:\n  key: [id]\n  columns:"
                + " [id, name]\n"
                + pg.target("table: sk\nmode: sync"));

    FileReport file = pg.run(pipeline).files().get(0);

    assertThat(file.fault()).contains(Fault.CONFIG);
    assertThat(file.error().orElseThrow())
        .contains("a trigger on it changed or skipped 2 of the file's keys")
        .contains("nothing was loaded");
    assertThat(pg.query("SELECT id, name FROM sk")).containsExactly("X|kept");
  }

  @Test
  void syncIntoAPartitionedTableWhosePartitionRewritesTheKeyIsRefusedAndDeletesNothing()
      throws Exception {
    pg.execute(
        "CREATE TABLE pk (id text, region text, name text, PRIMARY KEY (id, region))"
            + " PARTITION BY LIST (region);"
            + " CREATE TABLE pk_eu PARTITION OF pk FOR VALUES IN ('eu');"
            + " INSERT INTO pk VALUES ('X', 'eu', 'kept');"
            + " CREATE FUNCTION upper_pk() RETURNS trigger AS $$ BEGIN"
            + " NEW.id := upper(NEW.id); RETURN NEW; END $$ LANGUAGE plpgsql;"
            + " CREATE TRIGGER upper_pk BEFORE INSERT OR UPDATE ON pk_eu FOR EACH ROW"
            + " EXECUTE FUNCTION upper_pk()");
    pg.file("s.csv", "id,region,name\na,eu,1\nb,eu,2\n");
    Path pipeline =
        pg.pipeline(
            "name: s\nsource: {path: landing, settle: 0s}\nschema:\n  key: [id, region]\n"
                + "  columns: [id, region, name]\n"
                + pg.target("table: pk\nmode: sync"));

    FileReport file = pg.run(pipeline).files().get(0);

    assertThat(file.fault()).contains(Fault.CONFIG);
    assertThat(file.error().orElseThrow())
        .contains("a trigger on it changed or skipped 2 of the file's keys");
    assertThat(pg.query("SELECT id, region, name FROM pk")).containsExactly("X|eu|kept");
  }

  @Test
  void aUniqueIndexOnAnExpressionIsNoKeyAndSaysWhichToAdd() throws Exception {
    pg.execute(
        "CREATE TABLE ex (id integer NOT NULL, name text);"
            + " CREATE UNIQUE INDEX ex_u ON ex (id, lower(name))");
    pg.file("a.csv", "id,name\n1,a\n");

    FileReport file = load("a.csv", "table: ex\nmode: upsert");

    assertThat(file.fault()).contains(Fault.CONFIG);
    assertThat(file.error().orElseThrow())
        .contains("has no primary key or unique constraint on (id)");
  }

  @Test
  void aColumnNameMatchingTwoColumnsThatDifferOnlyInCaseIsRefused() throws Exception {
    pg.execute("CREATE TABLE twin (\"ID\" text, \"id\" text, name text)");
    pg.file("a.csv", "Id,name\n1,x\n");
    Path pipeline =
        pg.pipeline("name: twin\nsource: {path: landing, settle: 0s}\n" + pg.target("table: twin"));

    FileReport file = pg.run(pipeline).files().get(0);

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error().orElseThrow())
        .contains(
            "column 'Id' matches \"ID\" and \"id\", which differ only in case: name one of them"
                + " exactly");
    assertThat(pg.count("twin")).isZero();
  }

  @Test
  void replaceWhoseEveryRowATriggerSkipsIsRefusedAndKeepsTheTable() throws Exception {
    pg.execute(
        "CREATE TABLE sk2 (id integer, v integer); INSERT INTO sk2 VALUES (100, 100);"
            + " CREATE FUNCTION skip_negative() RETURNS trigger AS $$ BEGIN"
            + " IF NEW.v < 0 THEN RETURN NULL; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;"
            + " CREATE TRIGGER skip_negative BEFORE INSERT ON sk2 FOR EACH ROW"
            + " EXECUTE FUNCTION skip_negative()");
    pg.file("a.csv", "id,v\n1,-1\n2,-2\n");
    Path pipeline =
        pg.pipeline(
            "name: sk2\nsource: {path: landing, settle: 0s}\nschema:\n  columns:"
                + " [{name: id, type: int}, {name: v, type: int}]\n"
                + pg.target("table: sk2\nmode: replace"));

    FileReport file = pg.run(pipeline).files().get(0);

    assertThat(file.fault()).contains(Fault.DATA);
    assertThat(file.error().orElseThrow())
        .isEqualTo(
            "a.csv: no rows loaded (the table skipped all 2: a trigger on it returned no row for"
                + " them); mode replace would empty table sk2. Refused: set target.allow_empty:"
                + " true when that may empty the table");
    assertThat(pg.query("SELECT id, v FROM sk2")).containsExactly("100|100");
  }

  @Test
  void replaceWaitsForALoadInFlightAndLeavesOnlyItsOwnRows() throws Exception {
    pg.execute("CREATE TABLE r (id integer, src text); INSERT INTO r VALUES (0, 'old')");

    loadWhileAnotherTransactionWrites("r", "replace", "");

    assertThat(pg.query("SELECT id, src FROM r ORDER BY id")).containsExactly("1|a", "2|a");
  }

  @Test
  void syncWaitsForALoadInFlightAndLeavesOnlyItsOwnKeys() throws Exception {
    pg.execute(
        "CREATE TABLE rk (id integer PRIMARY KEY, src text); INSERT INTO rk VALUES (0, 'old')");

    loadWhileAnotherTransactionWrites("rk", "sync", "  key: [id]\n");

    assertThat(pg.query("SELECT id, src FROM rk ORDER BY id")).containsExactly("1|a", "2|a");
  }

  /**
   * Loads a file of ids 1 and 2 into {@code table} in {@code mode} while another transaction has
   * inserted id 9 and not committed: that one commits once the load waits for it (or once the load
   * ended, when it does not wait).
   */
  private void loadWhileAnotherTransactionWrites(String table, String mode, String key)
      throws Exception {
    pg.file("a.csv", "id,src\n1,a\n2,a\n");
    Path pipeline =
        pg.pipeline(
            "name: "
                + table
                + "\nsource: {path: landing, settle: 0s}\nschema:\n"
                + key
                + "  columns: [{name: id, type: int}, src]\n"
                + pg.target("table: " + table + "\nmode: " + mode));
    try (java.sql.Connection other = PostgresServer.connect(pg.url)) {
      other.setAutoCommit(false);
      try (java.sql.Statement insert = other.createStatement()) {
        insert.execute("INSERT INTO " + table + " VALUES (9, 'other')");
      }
      java.util.concurrent.CompletableFuture<RunReport> load =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return pg.run(pipeline);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (!load.isDone() && !waitingForALock()) {
        assertThat(System.nanoTime()).as("the load waits or ends within 60 s").isLessThan(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(
            java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
      }
      other.commit();

      FileReport file = load.get(60, java.util.concurrent.TimeUnit.SECONDS).files().get(0);

      assertThat(file.status()).as("%s", file.error()).isEqualTo(FileStatus.LOADED);
    }
  }

  /** Whether a session of the test database waits for a lock on a table. */
  private boolean waitingForALock() throws java.sql.SQLException {
    return !pg.query(
            "SELECT 1 FROM pg_locks WHERE NOT granted AND locktype = 'relation'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
        .isEmpty();
  }

  @Test
  void aKeyIndexThatIncludesOtherColumnsServesTheModesThatMergeByKey() throws Exception {
    pg.execute("CREATE TABLE inc (id integer, name text, PRIMARY KEY (id) INCLUDE (name))");
    pg.file("a.csv", "id,name\n1,a\n");

    FileReport file = load("a.csv", "table: inc\nmode: upsert");

    assertThat(file.status()).as("%s", file.error()).isEqualTo(FileStatus.LOADED);
    assertThat(pg.query("SELECT id, name FROM inc")).containsExactly("1|a");
  }

  @Test
  void aDeferredConstraintRefusedAtTheCommitNamesTheFileAndTheKey() throws Exception {
    FileReport failed = childRows("child", " DEFERRABLE INITIALLY DEFERRED", "table: child");

    assertThat(failed.fault()).contains(Fault.DATA);
    assertThat(failed.error().orElseThrow())
        .startsWith("committing c.csv: the database refused the rows: ERROR: insert or update")
        .contains("Key (parent_id)=(99) is not present in table \"parent\"");
    assertThat(pg.count("child")).isZero();
  }
}
