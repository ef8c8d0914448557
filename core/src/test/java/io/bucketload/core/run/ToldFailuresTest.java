package io.bucketload.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToldFailuresTest {
  private static final String SOURCE = "landing (*.csv)";

  private final ToldFailures told = new ToldFailures(SOURCE);

  @Test
  void anOutageThatBeganDuringALoadIsToldOnceThoughTheRunsAfterItFailAsAWhole() {
    told.remember(report("run-1", fileFailedOnSystem("a.csv")), true);

    RunReport whole = told.marked(report("run-2", FileReport.runFailed(SOURCE, "no connection")));
    told.remember(whole, true);
    RunReport again = told.marked(report("run-3", FileReport.runFailed(SOURCE, "no connection")));

    assertThat(toldIn(whole)).contains("run-1");
    assertThat(toldIn(again)).contains("run-1");
  }

  @Test
  void aRunThatGetsThroughEndsTheOutageSoThatTheNextIsNews() {
    told.remember(report("run-1", fileFailedOnSystem("a.csv")), true);
    told.remember(report("run-2", loaded("a.csv")), true);

    RunReport whole = told.marked(report("run-3", FileReport.runFailed(SOURCE, "no connection")));

    assertThat(toldIn(whole)).isEmpty();
  }

  @Test
  void aFailureWhoseNewsReachedNoOneStartsNoOutage() {
    told.remember(report("run-1", fileFailedOnSystem("a.csv")), false);

    RunReport whole = told.marked(report("run-2", FileReport.runFailed(SOURCE, "no connection")));

    assertThat(toldIn(whole)).isEmpty();
  }

  @Test
  void filesThatOnlyWaitDoNotEndTheOutage() {
    told.remember(report("run-1", fileFailedOnSystem("a.csv")), true);
    told.remember(
        report(
            "run-2",
            new FileReport(
                "b.csv",
                Optional.empty(),
                new FileOutcome.Waiting("still being written"),
                FileStats.none(0),
                List.of())),
        true);

    RunReport whole = told.marked(report("run-3", FileReport.runFailed(SOURCE, "no connection")));

    assertThat(toldIn(whole)).contains("run-1");
  }

  private static Optional<String> toldIn(RunReport report) {
    return ((FileOutcome.FailedOnSystem) report.files().get(0).outcome()).toldIn();
  }

  private static FileReport fileFailedOnSystem(String name) {
    return new FileReport(
        name,
        Optional.of("sha256:0"),
        new FileOutcome.FailedOnSystem("connection lost"),
        FileStats.none(0),
        List.of());
  }

  private static FileReport loaded(String name) {
    return new FileReport(
        name,
        Optional.of("sha256:0"),
        new FileOutcome.Loaded(io.bucketload.core.target.LoadCounts.written(1), List.of()),
        FileStats.none(0),
        List.of());
  }

  private static RunReport report(String runId, FileReport... files) {
    return new RunReport(
        "orders",
        runId,
        Instant.parse("2026-12-05T01:00:00Z"),
        List.of(files),
        40,
        List.of(),
        "bucketload serve");
  }
}
