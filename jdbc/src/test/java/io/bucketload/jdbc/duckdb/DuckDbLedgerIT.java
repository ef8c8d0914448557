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
                  "def")));
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
}
