package io.bucketload.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.target.FileStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two file sets that write the same tables in opposite orders, at the same time: PostgreSQL breaks
 * the deadlock by rolling one transaction back, and that set loads again once the other is done.
 */
class PostgresFileSetConflictIT {
  @TempDir Path dir;

  private Path setPipeline(PgFixture pg, String name, String firstTable, String secondTable)
      throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        """
        name: NAME
        source: {path: landing/NAME, settle: 0s}
        inputs:
          - {name: FIRST, match: "FIRST_*.csv", mode: upsert, schema: {key: [k], columns: [{name: k, type: int}, v]}}
          - {name: SECOND, match: "SECOND_*.csv", mode: sync, schema: {key: [k], columns: [{name: k, type: int}, v]}}
        """
                .replace("NAME", name)
                .replace("FIRST", firstTable)
                .replace("SECOND", secondTable)
            + pg.target("schema: s"),
        StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void setsWritingTheSameTablesInOppositeOrdersBothLoadWhenTheDeadlockIsBroken() throws Exception {
    PgFixture pg = new PgFixture(dir);
    pg.execute(
        "CREATE SCHEMA s; CREATE TABLE s.a (k int PRIMARY KEY, v text);"
            + " CREATE TABLE s.b (k int PRIMARY KEY, v text)");
    // first: upsert into a, then sync b; second: upsert into b, then sync a.
    Path first = setPipeline(pg, "first", "a", "b");
    Path second = setPipeline(pg, "second", "b", "a");
    pg.file("first/a_1.csv", "k,v\n1,first\n2,first\n");
    pg.file("first/b_1.csv", "k,v\n1,first\n");
    pg.file("second/b_1.csv", "k,v\n2,second\n");
    pg.file("second/a_1.csv", "k,v\n3,second\n");

    RunReport one;
    RunReport two;
    ExecutorService runs = Executors.newFixedThreadPool(2);
    try (Connection blocker = DriverManager.getConnection(pg.url, "postgres", PgFixture.PASSWORD);
        Statement statement = blocker.createStatement()) {
      // Both sets wait for this lock with their first table's rows written, then go on together:
      // each holds its first table and asks for the other's, which the other holds.
      blocker.setAutoCommit(false);
      statement.execute("LOCK TABLE s.a, s.b IN SHARE ROW EXCLUSIVE MODE");
      int blockerPid;
      try (ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
        pid.next();
        blockerPid = pid.getInt(1);
      }
      Future<RunReport> firstRun = runs.submit(() -> pg.run(first));
      Future<RunReport> secondRun = runs.submit(() -> pg.run(second));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (waitingFor(pg, blockerPid) < 2) {
        assertThat(firstRun.isDone() || secondRun.isDone())
            .as("a set loaded past the lock")
            .isFalse();
        assertThat(System.nanoTime()).as("both sets wait for the lock").isLessThan(deadline);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      blocker.commit();
      one = firstRun.get(120, TimeUnit.SECONDS);
      two = secondRun.get(120, TimeUnit.SECONDS);
    } finally {
      runs.shutdownNow();
    }

    assertThat(one.files()).extracting(FileReport::status).containsOnly(FileStatus.LOADED);
    assertThat(two.files()).extracting(FileReport::status).containsOnly(FileStatus.LOADED);
    assertThat(one.worstFault()).isEmpty();
    assertThat(two.worstFault()).isEmpty();
    // The set the database rolled back says so; the other loaded at once.
    assertThat(
            java.util.stream.Stream.of(one, two)
                .flatMap(report -> report.files().stream())
                .flatMap(report -> report.warnings().stream()))
        .filteredOn(note -> note.contains("loaded at attempt 2: the database rolled the one"))
        .hasSize(2);
    assertThat(pg.query("SELECT pipeline, file, status FROM s.bucketload_ledger ORDER BY 1, 2"))
        .containsExactly(
            "first|a_1.csv|loaded",
            "first|b_1.csv|loaded",
            "second|a_1.csv|loaded",
            "second|b_1.csv|loaded");
    // One set committed before the other: the tables hold what either order leaves.
    List<List<String>> tables =
        List.of(
            pg.query("SELECT k || ':' || v FROM s.a ORDER BY k"),
            pg.query("SELECT k || ':' || v FROM s.b ORDER BY k"));
    List<List<String>> firstThenSecond =
        List.of(List.of("3:second"), List.of("1:first", "2:second"));
    List<List<String>> secondThenFirst =
        List.of(List.of("1:first", "2:first", "3:second"), List.of("1:first"));
    assertThat(tables).isIn(firstThenSecond, secondThenFirst);
  }

  /** How many sessions wait for a lock that session {@code pid} holds. */
  private static long waitingFor(PgFixture pg, int pid) throws Exception {
    return Long.parseLong(
        pg.query(
                "SELECT count(*) FROM pg_stat_activity WHERE "
                    + pid
                    + " = ANY(pg_blocking_pids(pid))")
            .get(0));
  }
}
