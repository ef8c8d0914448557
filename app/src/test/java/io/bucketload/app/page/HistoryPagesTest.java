package io.bucketload.app.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.error.Fault;
import io.bucketload.core.notify.Delivered;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pages as HTML: runs from the ledger, paging, the chart, and escaping of every value. */
class HistoryPagesTest {
  private static final Instant T = Instant.parse("2026-12-01T06:00:00Z");
  private static final String HOSTILE = "<script>alert('x')</script>\"&";

  private static LedgerEntry entry(
      String runId, String file, int minute, FileStatus status, long rejected, String trigger) {
    return new LedgerEntry(
        "orders",
        runId,
        new FileVersion(file, 10, "sha256:" + file.length()),
        status,
        T.plusSeconds(60L * minute),
        T.plusSeconds(60L * minute + 5),
        10,
        rejected,
        status == FileStatus.LOADED ? LoadCounts.written(10 - rejected) : LoadCounts.none(),
        status == FileStatus.FAILED ? Optional.of("bad " + file) : Optional.empty(),
        status == FileStatus.FAILED ? Optional.of(Fault.DATA) : Optional.empty(),
        "def",
        trigger);
  }

  private static PipelineView pipeline(List<RunView> runs) {
    return new PipelineView(
        "orders",
        "/landing (*.csv)",
        "duckdb orders.duckdb, table orders",
        List.of("schedule rate(1 day)"),
        Optional.of(T.plusSeconds(86_400)),
        Optional.of(List.of()),
        Optional.of(0),
        runs,
        Optional.empty());
  }

  @Test
  void theLedgersEntriesBecomeRunsWithTheirFilesInLoadOrderAndAnOutcome() {
    // Newest first, as the ledger lists them.
    List<LedgerEntry> entries =
        List.of(
            entry("r3", "c.csv", 3, FileStatus.FAILED, 11, "watch"),
            entry("r2", "b2.csv", 2, FileStatus.LOADED, 1, "schedule"),
            entry("r2", "b1.csv", 2, FileStatus.LOADED, 0, "schedule"),
            entry("r1", "a.csv", 1, FileStatus.LOADED, 0, ""));

    List<RunView> runs =
        RunView.ofLedger(
            entries,
            100,
            Map.of("r2", List.of(new Delivered("hook", true, Optional.empty()))),
            java.util.Set.of("r2", "r3"));

    assertThat(runs).extracting(RunView::runId).containsExactly("r3", "r2", "r1");
    assertThat(runs.get(1).files()).extracting(FileView::file).containsExactly("b1.csv", "b2.csv");
    assertThat(runs)
        .extracting(RunView::outcome)
        .containsExactly(RunView.Outcome.FAILED, RunView.Outcome.REJECTS, RunView.Outcome.LOADED);
    assertThat(runs.get(1).rowsLoaded()).isEqualTo(19);
    assertThat(runs.get(1).trigger()).isEqualTo("schedule");
    assertThat(runs.get(1).notifications()).hasValueSatisfying(sent -> assertThat(sent).hasSize(1));
    assertThat(runs.get(0).notifications()).as("read, none sent").hasValue(List.of());
    assertThat(runs.get(2).notifications()).as("not read").isEmpty();
    assertThat(runs.get(1).durationMs()).isEqualTo(5000);
    assertThat(pipeline(runs).filesSince(T, "loaded")).isEqualTo(3);
    assertThat(pipeline(runs).filesSince(T.plusSeconds(150), "loaded")).isZero();
    assertThat(pipeline(runs).needsAttention()).as("its last run failed").isTrue();

    // When the ledger gave as many entries as asked for, the oldest run may be cut: left out.
    assertThat(RunView.ofLedger(entries, 4, Map.of(), java.util.Set.of()))
        .extracting(RunView::runId)
        .containsExactly("r3", "r2");
  }

  @Test
  void countsOverRunsThatWereLeftOutSayAtLeast() {
    List<RunView> runs =
        RunView.ofLedger(
            List.of(entry("r1", "a.csv", 600, FileStatus.LOADED, 0, "")),
            10,
            Map.of(),
            java.util.Set.of());
    Instant now = T.plusSeconds(3600 * 12);
    PipelineView all = pipeline(runs);
    PipelineView cut =
        new PipelineView(
            "orders",
            "s",
            "t",
            List.of(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            runs,
            Optional.of(runs.get(0).startedAt()));

    assertThat(HistoryPages.pipeline(all, 1, now, HistoryPages.SERVED))
        .contains("<dd>1 file loaded, 0 failed, 0 waiting now</dd>");
    assertThat(HistoryPages.pipeline(cut, 1, now, HistoryPages.SERVED))
        .contains("<dd>at least 1 file loaded, 0 failed</dd>");
  }

  @Test
  void aPipelinesRunsArePagedNewestFirst() {
    List<LedgerEntry> entries = new ArrayList<>();
    for (int i = 120; i >= 1; i--) {
      entries.add(entry("run-" + i, "f.csv", i, FileStatus.LOADED, 0, "schedule"));
    }
    PipelineView view = pipeline(RunView.ofLedger(entries, 1000, Map.of(), java.util.Set.of()));

    String first = HistoryPages.pipeline(view, 1, T, HistoryPages.SERVED);
    String last = HistoryPages.pipeline(view, 3, T, HistoryPages.SERVED);
    String beyond = HistoryPages.pipeline(view, 99, T, HistoryPages.SERVED);

    assertThat(rows(first)).isEqualTo(50);
    assertThat(first)
        .contains("page 1 of 3")
        .contains("href=\"/pipelines/orders?page=2\"")
        .contains(">run-120<")
        .doesNotContain(">run-70<");
    assertThat(rows(last)).isEqualTo(20);
    assertThat(last).contains("page 3 of 3").contains(">run-1<").contains("?page=2");
    assertThat(beyond).isEqualTo(last);
    assertThat(first.split("<rect ", -1)).as("the chart: the newest 100 runs").hasSize(101);
  }

  @Test
  void everyValueFromFilesTriggersAndNotificationsIsEscaped() {
    RunView run =
        new RunView(
            "r1",
            HOSTILE,
            T,
            1200,
            List.of(
                new FileView(
                    HOSTILE + ".csv",
                    HOSTILE,
                    "failed",
                    Optional.of(Fault.DATA),
                    1,
                    1,
                    LoadCounts.none(),
                    Optional.of(HOSTILE))),
            Optional.of(List.of(new Delivered(HOSTILE, false, Optional.of(HOSTILE)))));
    PipelineView view =
        new PipelineView(
            "orders",
            HOSTILE,
            HOSTILE,
            List.of(HOSTILE),
            Optional.empty(),
            Optional.of(List.of(HOSTILE)),
            Optional.of(1),
            List.of(run),
            Optional.empty());

    List<String> pages =
        List.of(
            HistoryPages.overview(List.of(view), T),
            HistoryPages.pipeline(view, 1, T, HistoryPages.SERVED),
            HistoryPages.run(
                view,
                run,
                (shown, file) -> new RejectsShown.Unavailable(HOSTILE),
                HistoryPages.SERVED),
            HistoryPages.oneFile(view, T, (shown, file) -> new RejectsShown.Unavailable(HOSTILE)));

    for (String page : pages) {
      assertThat(page)
          .doesNotContain("<script")
          .doesNotContain("alert('x')")
          .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;");
    }
  }

  @Test
  void linksEncodeTheirSegments() {
    assertThat(Html.segment("a b/é")).isEqualTo("a%20b%2F%C3%A9");
    assertThat(HistoryPages.SERVED.run("p.1", "20261202T001341Z-70e178"))
        .isEqualTo("/pipelines/p.1/runs/20261202T001341Z-70e178");
    assertThat(HistoryPages.ONE_FILE.run("p", "r:1")).isEqualTo("#run-r_1");
  }

  private static int rows(String page) {
    String runs = page.substring(page.indexOf("<h2 id=\"runs\">"));
    return runs.split("<tr><td>", -1).length - 1;
  }
}
