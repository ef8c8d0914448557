package io.bucketload.jdbc.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.VersionRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's latest load is found by the chain of loads, not by their clocks. */
class DuckDbLedgerIT {
  private static final Instant T = Instant.parse("2026-12-01T06:00:00Z");

  @TempDir Path dir;

  private static void load(
      DuckDbTarget target, FileVersion version, String run, String supersedes, Instant finished) {
    try (LoadTransaction transaction = target.begin()) {
      transaction
          .load(
              new LoadPlan(
                  "p", run, version, "t", LoadMode.APPEND, List.of(), List.of(), false, supersedes))
          .finish();
      transaction.commit(
          List.of(
              new LedgerEntry(
                  "p",
                  run,
                  version,
                  FileStatus.LOADED,
                  finished.minusSeconds(1),
                  finished,
                  0,
                  0,
                  LoadCounts.written(0),
                  Optional.empty(),
                  Optional.empty(),
                  "def",
                  "schedule rate(1 day) at " + finished)));
    }
  }

  @Test
  void twoTargetsOfOneProcessOpeningANewFileAtOnceBothMakeOrFindItsLedger() throws Exception {
    // Pipelines of one serve process that share a file open it together; DuckDB's catalog refused
    // the second CREATE of the ledger ("write-write conflict") in most tries.
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int attempt = 0; attempt < 8; attempt++) {
        Path file = dir.resolve("shared-" + attempt + ".duckdb");
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<DuckDbTarget> open =
            () -> {
              together.await(10, java.util.concurrent.TimeUnit.SECONDS);
              return DuckDbTarget.open(
                  file, "staging", Optional.empty(), Optional.empty(), Duration.ZERO);
            };
        java.util.List<java.util.concurrent.Future<DuckDbTarget>> opening =
            java.util.List.of(pool.submit(open), pool.submit(open));
        java.util.List<Throwable> failures = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<DuckDbTarget> target : opening) {
          // Each one that opened is closed, whether the other did or not.
          try (DuckDbTarget opened = target.get(30, java.util.concurrent.TimeUnit.SECONDS)) {
            assertThat(opened.ledger().history("p", 1)).isEmpty();
          } catch (java.util.concurrent.ExecutionException e) {
            failures.add(e.getCause());
          }
        }
        assertThat(failures).as("attempt %d", attempt).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTriggersLastRunIsKeptPerPipelineAndKindAcrossOpens() {
    Instant due = Instant.parse("2026-12-01T06:00:00Z");
    try (DuckDbTarget target =
        DuckDbTarget.open(
            dir.resolve("t.duckdb"), "main", Optional.empty(), Optional.empty(), Duration.ZERO)) {
      assertThat(target.ledger().lastTriggered("p", "schedule")).isEmpty();
      target.ledger().recordTriggered("p", "schedule", due);
      target.ledger().recordTriggered("p", "schedule", due.plusSeconds(60));
    }
    try (DuckDbTarget target =
        DuckDbTarget.open(
            dir.resolve("t.duckdb"), "main", Optional.empty(), Optional.empty(), Duration.ZERO)) {
      assertThat(target.ledger().lastTriggered("p", "schedule")).hasValue(due.plusSeconds(60));
      assertThat(target.ledger().lastTriggered("q", "schedule")).isEmpty();
      assertThat(target.ledger().history("p", 10)).isEmpty();
    }
  }

  @Test
  void theLedgerTellsWhetherItMayKnowAVersionOfAFileBySize() {
    try (DuckDbTarget target =
        DuckDbTarget.open(
            dir.resolve("s.duckdb"), "main", Optional.empty(), Optional.empty(), Duration.ZERO)) {
      assertThat(target.ledger().mayKnow("p", "f.csv", 100)).isFalse();
      load(target, new FileVersion("f.csv", 100, "sha256:a"), "r1", "", T);

      assertThat(target.ledger().mayKnow("p", "f.csv", 100)).isTrue();
      assertThat(target.ledger().mayKnow("p", "f.csv", 101)).isFalse();
      assertThat(target.ledger().mayKnow("p", "g.csv", 100)).isFalse();
      assertThat(target.ledger().mayKnow("q", "f.csv", 100)).isFalse();
    }
  }

  /**
   * The ledger keeps its statements between uses; the target closes its connection when idle (and
   * another process may then open the file), and the ledger's next use prepares them again on the
   * new connection, which sees what another load wrote meanwhile.
   */
  @Test
  void theLedgerAnswersOnTheConnectionOpenedAfterTheTargetWasIdle() throws Exception {
    Path file = dir.resolve("i.duckdb");
    FileVersion a = new FileVersion("a.csv", 10, "sha256:a");
    FileVersion b = new FileVersion("b.csv", 20, "sha256:b");
    try (DuckDbTarget target =
        DuckDbTarget.open(file, "main", Optional.empty(), Optional.empty(), Duration.ZERO)) {
      load(target, a, "r1", "", T);
      assertThat(target.ledger().lookup("p", a).currentLoad()).isPresent();
      assertThat(target.ledger().mayKnow("p", "b.csv", 20)).isFalse();

      target.idle();
      // Another process opens the file: the ledger's statements did not keep it open.
      Process holder = LockHoldingProcess.start(file);
      holder.getOutputStream().close();
      assertThat(holder.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(holder.exitValue()).isZero();
      // Another load of this process loads b while the target is idle.
      try (DuckDbTarget other =
          DuckDbTarget.open(file, "main", Optional.empty(), Optional.empty(), Duration.ZERO)) {
        load(other, b, "r2", "", T.plusSeconds(1));
      }

      assertThat(target.ledger().mayKnow("p", "b.csv", 20)).isTrue();
      assertThat(target.ledger().lookup("p", b).currentLoad())
          .map(LedgerEntry::runId)
          .hasValue("r2");
      load(target, new FileVersion("a.csv", 11, "sha256:a2"), "r3", "r1", T.plusSeconds(2));
      assertThat(target.ledger().lookup("p", a).supersedes()).isEqualTo("r3");
    }
  }

  @Test
  void aLoadFromAHostWhoseClockIsBehindStillBecomesTheLatest() {
    FileVersion b = new FileVersion("f.csv", 1, "sha256:b");
    FileVersion c = new FileVersion("f.csv", 2, "sha256:c");
    try (DuckDbTarget target =
        DuckDbTarget.open(
            dir.resolve("l.duckdb"), "main", Optional.empty(), Optional.empty(), Duration.ZERO)) {
      load(target, b, "r1", "", T.plusSeconds(2));
      load(target, c, "r2", "r1", T.plusSeconds(1));

      VersionRecord current = target.ledger().lookup("p", c);
      VersionRecord earlier = target.ledger().lookup("p", b);

      assertThat(current.currentLoad()).map(LedgerEntry::runId).hasValue("r2");
      assertThat(earlier.currentLoad()).as("b went back: a new load").isEmpty();
      assertThat(earlier.supersedes()).isEqualTo("r2");
    }
  }

  @Test
  void theLatestLoadIsTheChainsHeadElseTheNewestLoadBeforeChainsAndTheLastFailureTheNewest()
      throws Exception {
    Path database = dir.resolve("chain.duckdb");
    FileVersion a = new FileVersion("f.csv", 1, "sha256:a");
    FileVersion b = new FileVersion("f.csv", 2, "sha256:b");
    FileVersion c = new FileVersion("f.csv", 3, "sha256:c");
    // Loads recorded before loads were chained (no supersedes), the newest between two older
    // ones in the table, and three failures of version c on its data, the newest between.
    ledgerRows(
        database,
        "('p', 'r0', 'f.csv', 1, 'sha256:a', 'loaded', TIMESTAMP '2026-11-30 06:00:00',"
            + " TIMESTAMP '2026-11-30 06:00:01', 1, 0, 1, 1, 0, 0, 0, NULL, NULL, 'def', NULL)",
        "('p', 'r00', 'f.csv', 2, 'sha256:b', 'loaded', TIMESTAMP '2026-11-30 06:00:02',"
            + " TIMESTAMP '2026-11-30 06:00:03', 1, 0, 1, 1, 0, 0, 0, NULL, NULL, 'def', NULL)",
        "('p', 'r01', 'f.csv', 1, 'sha256:a', 'loaded', TIMESTAMP '2026-11-30 06:00:01',"
            + " TIMESTAMP '2026-11-30 06:00:02', 1, 0, 1, 1, 0, 0, 0, NULL, NULL, 'def', NULL)",
        "('p', 'rf1', 'f.csv', 3, 'sha256:c', 'failed', TIMESTAMP '2026-11-30 06:00:03',"
            + " TIMESTAMP '2026-11-30 06:00:04', 1, 1, 0, NULL, NULL, NULL, NULL, 'first', 'data',"
            + " 'def', NULL)",
        "('p', 'rf2', 'f.csv', 3, 'sha256:c', 'failed', TIMESTAMP '2026-11-30 06:00:04',"
            + " TIMESTAMP '2026-11-30 06:00:05', 1, 1, 0, NULL, NULL, NULL, NULL, 'second', 'data',"
            + " 'def', NULL)",
        "('p', 'rf0', 'f.csv', 3, 'sha256:c', 'failed', TIMESTAMP '2026-11-30 06:00:02',"
            + " TIMESTAMP '2026-11-30 06:00:03', 1, 1, 0, NULL, NULL, NULL, NULL, 'zeroth', 'data',"
            + " 'def', NULL)");
    try (DuckDbTarget target =
        DuckDbTarget.open(database, "main", Optional.empty(), Optional.empty(), Duration.ZERO)) {
      assertThat(target.ledger().lookup("p", b).currentLoad())
          .map(LedgerEntry::runId)
          .as("the newest load before chains")
          .hasValue("r00");
      assertThat(target.ledger().lookup("p", c).lastDataFailure())
          .flatMap(LedgerEntry::error)
          .hasValue("second");
      // A chained load whose clock is behind the loads before chains.
      load(target, a, "r1", "r00", T.minus(Duration.ofDays(2)));
      assertThat(target.ledger().lookup("p", a).currentLoad())
          .map(LedgerEntry::runId)
          .hasValue("r1");
    }
    // A newer load recorded without a chain (by a version of bucketload before chains).
    ledgerRows(
        database,
        "('p', 'r9', 'f.csv', 2, 'sha256:b', 'loaded', TIMESTAMP '2026-12-02 06:00:00',"
            + " TIMESTAMP '2026-12-02 06:00:01', 1, 0, 1, 1, 0, 0, 0, NULL, NULL, 'def', NULL)");
    try (DuckDbTarget target =
        DuckDbTarget.open(database, "main", Optional.empty(), Optional.empty(), Duration.ZERO)) {
      VersionRecord latest = target.ledger().lookup("p", a);
      assertThat(latest.currentLoad()).map(LedgerEntry::runId).hasValue("r1");
      load(target, c, "r2", "r1", T);
      assertThat(target.ledger().lookup("p", c).currentLoad())
          .map(LedgerEntry::runId)
          .hasValue("r2");
      assertThat(target.ledger().lookup("p", a).supersedes()).isEqualTo("r2");
    }
  }

  /** Adds rows to the ledger table of {@code database}, creating it as it was before triggers. */
  private static void ledgerRows(Path database, String... rows) throws Exception {
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection("jdbc:duckdb:" + database);
        java.sql.Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS bucketload_ledger (pipeline VARCHAR NOT NULL,"
              + " run_id VARCHAR NOT NULL, file VARCHAR NOT NULL, size BIGINT NOT NULL,"
              + " checksum VARCHAR NOT NULL, status VARCHAR NOT NULL,"
              + " started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL,"
              + " rows_read BIGINT NOT NULL, rows_rejected BIGINT NOT NULL,"
              + " rows_loaded BIGINT NOT NULL, inserted BIGINT, updated BIGINT, unchanged BIGINT,"
              + " deleted BIGINT, error VARCHAR, fault VARCHAR, definition VARCHAR,"
              + " supersedes VARCHAR)");
      for (String row : rows) {
        statement.execute(
            "INSERT INTO bucketload_ledger (pipeline, run_id, file, size, checksum, status,"
                + " started_at, finished_at, rows_read, rows_rejected, rows_loaded, inserted,"
                + " updated, unchanged, deleted, error, fault, definition, supersedes) VALUES "
                + row);
      }
    }
  }

  @Test
  void eachAttemptKeepsWhatStartedItAndALedgerWithoutTheColumnGainsIt() throws Exception {
    Path database = dir.resolve("old.duckdb");
    try (java.sql.Connection old = java.sql.DriverManager.getConnection("jdbc:duckdb:" + database);
        java.sql.Statement statement = old.createStatement()) {
      // The ledger as written before the trigger was kept.
      statement.execute(
          "CREATE TABLE bucketload_ledger (pipeline VARCHAR NOT NULL, run_id VARCHAR NOT NULL,"
              + " file VARCHAR NOT NULL, size BIGINT NOT NULL, checksum VARCHAR NOT NULL,"
              + " status VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL,"
              + " finished_at TIMESTAMP NOT NULL, rows_read BIGINT NOT NULL,"
              + " rows_rejected BIGINT NOT NULL, rows_loaded BIGINT NOT NULL, inserted BIGINT,"
              + " updated BIGINT, unchanged BIGINT, deleted BIGINT, error VARCHAR, fault VARCHAR,"
              + " definition VARCHAR, supersedes VARCHAR)");
      statement.execute(
          "INSERT INTO bucketload_ledger VALUES ('p', 'r0', 'old.csv', 1, 'sha256:o', 'loaded',"
              + " TIMESTAMP '2026-11-30 06:00:00', TIMESTAMP '2026-11-30 06:00:01', 1, 0, 1,"
              + " 1, 0, 0, 0, NULL, NULL, 'def', NULL)");
    }
    try (DuckDbTarget target =
        DuckDbTarget.open(database, "main", Optional.empty(), Optional.empty(), Duration.ZERO)) {
      load(target, new FileVersion("new.csv", 1, "sha256:n"), "r1", "", T);

      assertThat(target.ledger().history("p", 10))
          .extracting(LedgerEntry::runId, LedgerEntry::trigger)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("r1", "schedule rate(1 day) at " + T),
              org.assertj.core.groups.Tuple.tuple("r0", ""));
    }
  }
}
