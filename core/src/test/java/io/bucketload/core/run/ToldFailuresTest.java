package io.bucketload.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.target.LoadCounts;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToldFailuresTest {
  private static final String SOURCE = "/srv/landing (*.csv)";
  private final ToldFailures told = new ToldFailures(SOURCE);
  private int runs;

  private RunReport run(FileReport... files) {
    runs++;
    return new RunReport("p", "run-" + runs, Instant.EPOCH, List.of(files), 0, List.of());
  }

  private static FileReport cut(String file) {
    return new FileReport(
        file,
        Optional.of("sha256:" + file),
        new FileOutcome.FailedOnSystem("connection lost"),
        FileStats.none(0),
        List.of());
  }

  private static FileReport loaded(String file) {
    return new FileReport(
        file,
        Optional.of("sha256:" + file),
        new FileOutcome.Loaded(LoadCounts.written(1), List.of()),
        FileStats.none(0),
        List.of());
  }

  private static FileReport whole(String reason) {
    return FileReport.runFailed(SOURCE, reason);
  }

  /** Marks the report as a service does, tells it (reaching someone) and remembers it. */
  private Optional<String> toldIn(RunReport report, boolean targetUnreachable) {
    RunReport marked = told.marked(report, targetUnreachable);
    told.remember(marked, true);
    return ((FileOutcome.FailedOnSystem) marked.files().get(0).outcome()).toldIn();
  }

  @Test
  void theTargetUnreachableRightAfterAFileWasCutIsTheSameOutageAndItsRepeatsAreNotNews() {
    RunReport first = run(cut("a.csv"));
    assertThat(toldIn(first, false)).isEmpty();
    assertThat(toldIn(run(whole("connecting again")), true)).contains(first.runId());
    assertThat(toldIn(run(whole("connecting again")), true)).contains(first.runId());
    told.remember(told.marked(run(loaded("a.csv")), true), true);
    assertThat(toldIn(run(whole("connecting again")), true)).isEmpty();
  }

  @Test
  void aSourceThatCannotBeListedAfterAFileWasCutIsNews() {
    assertThat(toldIn(run(cut("a.csv")), false)).isEmpty();
    assertThat(toldIn(run(whole("listing the bucket: access denied")), false)).isEmpty();
  }

  @Test
  void aFileThatKeepsFailingDoesNotSilenceALaterOutage() {
    RunReport first = run(cut("a.csv"));
    assertThat(toldIn(first, false)).isEmpty();
    // The repeat of a.csv's failure is not news, and does not make the next outage old news.
    assertThat(toldIn(run(cut("a.csv")), false)).contains(first.runId());
    assertThat(toldIn(run(whole("connecting again")), true)).isEmpty();
  }

  @Test
  void aTriggerThatAnswersAgainEndsTheOutage() {
    assertThat(toldIn(run(cut("a.csv")), false)).isEmpty();
    told.answered();
    assertThat(toldIn(run(whole("connecting again")), true)).isEmpty();
  }
}
