package io.bucketload.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.FileStats;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.MemoryTarget;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.NotifyOn;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.LoadCounts;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a notification says, and which runs are news. */
class RunMessageTest {
  @TempDir Path dir;

  private static FileReport file(String name, FileOutcome outcome) {
    return new FileReport(
        name,
        Optional.of("sha256:0"),
        outcome,
        new FileStats(1, 0, 10, 5, Optional.empty()),
        List.of());
  }

  private static RunReport report(FileReport... files) {
    return new RunReport(
        "orders",
        "20261202T010000Z-abc123",
        Instant.parse("2026-12-02T01:00:00Z"),
        List.of(files),
        40,
        List.of(),
        "bucketload run");
  }

  @Test
  void valuesFromFilesCannotMentionOrLinkInSlack() {
    RunMessage message =
        RunMessage.of(
            report(
                file(
                    "<!channel>.csv",
                    new FileOutcome.FailedOnData(
                        "<!channel>.csv line 1: the header has '<https://evil.example|fix here>'",
                        Optional.empty()))));

    ObjectNode payload = message.webhookPayload();

    assertThat(payload.get("text").asText())
        .contains("&lt;!channel&gt;.csv")
        .doesNotContain("<!channel>")
        .doesNotContain("<https://");
    assertThat(payload.get("blocks").toString())
        .contains("&lt;https://evil.example|fix here&gt;")
        .doesNotContain("<!channel>");
    assertThat(message.html()).contains("&lt;!channel&gt;.csv").doesNotContain("<!channel>");
  }

  @Test
  void aRunOfManyFilesKeepsToSlacksFiftyBlocks() {
    List<FileReport> files = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      files.add(file("f" + i + ".csv", new FileOutcome.Loaded(LoadCounts.written(1), List.of())));
    }
    ObjectNode payload = RunMessage.of(report(files.toArray(FileReport[]::new))).webhookPayload();

    assertThat(payload.get("blocks")).hasSize(50);
    assertThat(payload.get("blocks").get(49).toString()).contains("and 73 more files");
  }

  @Test
  void aFailedFileLeadsTheMessageSoThatACutLeavesItIn() {
    List<FileReport> files = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      files.add(file("f" + i + ".csv", new FileOutcome.Loaded(LoadCounts.written(1), List.of())));
    }
    files.add(
        file("zz_bad.csv", new FileOutcome.FailedOnData("zz_bad.csv: missing", Optional.empty())));
    RunMessage message = RunMessage.of(report(files.toArray(FileReport[]::new)));

    ObjectNode payload = message.webhookPayload();

    assertThat(payload.get("blocks").get(2).toString()).contains("zz_bad.csv");
    assertThat(message.text().indexOf("zz_bad.csv")).isLessThan(message.text().indexOf("f0.csv"));
  }

  @Test
  void onlySkippedFilesAreNoNewsButAlwaysHearsOfThem() {
    RunMessage skipped =
        RunMessage.of(
            report(
                file(
                    "a.csv",
                    new FileOutcome.Skipped(
                        new io.bucketload.core.target.LedgerEntry(
                            "orders",
                            "r0",
                            new io.bucketload.core.source.FileVersion("a.csv", 1, "sha256:0"),
                            io.bucketload.core.target.FileStatus.LOADED,
                            Instant.EPOCH,
                            Instant.EPOCH,
                            1,
                            0,
                            LoadCounts.written(1),
                            Optional.empty(),
                            Optional.empty(),
                            "d",
                            "bucketload run")))));

    assertThat(skipped.wanted(io.bucketload.core.spec.NotifySpec.DEFAULT_ON)).isFalse();
    assertThat(skipped.wanted(java.util.Set.of(NotifyOn.ALWAYS))).isTrue();
    assertThat(skipped.counts()).isEqualTo("1 already handled");
  }

  @Test
  void aSystemFailureToldInThisOutageIsNoNewsBesideANewOne() {
    RunMessage repeated =
        RunMessage.of(
            report(
                file(
                    "a.csv",
                    new FileOutcome.FailedOnSystem("connection refused", Optional.of("run-1")))));
    RunMessage withNew =
        RunMessage.of(
            report(
                file(
                    "a.csv",
                    new FileOutcome.FailedOnSystem("connection refused", Optional.of("run-1"))),
                file("b.csv", new FileOutcome.FailedOnSystem("connection refused"))));

    assertThat(repeated.wanted(io.bucketload.core.spec.NotifySpec.DEFAULT_ON)).isFalse();
    assertThat(repeated.wanted(java.util.Set.of(NotifyOn.ALWAYS))).isTrue();
    assertThat(repeated.counts()).isEqualTo("1 already handled");
    assertThat(withNew.wanted(java.util.Set.of(NotifyOn.FAILURE))).isTrue();
    assertThat(withNew.counts()).isEqualTo("1 failed, 1 already handled");
    assertThat(withNew.text()).contains("b.csv").doesNotContain("a.csv");
  }

  @Test
  void aFileSetThatFailedOnItsDataIsNotNewsWhenItComesAgain() throws Exception {
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(dir.resolve("landing/orders_1.csv"), "id\n1\n");
    Files.writeString(dir.resolve("landing/customers_1.csv"), "name\nno id\n");
    PipelineSpec spec =
        new PipelineSpecReader()
            .read(
                new StringReader(
                    """
                    name: shop
                    source: {path: landing, settle: 0s}
                    inputs:
                      - {name: orders, match: "orders_*.csv", schema: {key: [id], columns: [{name: id, type: long}]}}
                      - {name: customers, match: "customers_*.csv", schema: {key: [id], columns: [{name: id, type: long}]}}
                    """),
                dir.resolve("pipeline.yaml"),
                dir);
    RunReport first;
    RunReport again;
    try (Pipeline shop =
        Pipeline.withTarget(spec, new MemoryTarget(), LoadListener.NONE, Clock.systemUTC())) {
      first = shop.run(List.of(), RunOptions.LOAD);
      again = shop.run(List.of(), RunOptions.LOAD);
    }

    assertThat(RunMessage.of(first).events()).contains(NotifyOn.FAILURE);
    assertThat(again.files()).hasSize(2);
    assertThat(RunMessage.of(again).events()).containsOnly(NotifyOn.ALWAYS);
    com.fasterxml.jackson.databind.JsonNode firstFiles =
        RunMessage.of(first).webhookPayload().get("data").get("files");
    com.fasterxml.jackson.databind.JsonNode againFiles =
        RunMessage.of(again).webhookPayload().get("data").get("files");
    for (int i = 0; i < 2; i++) {
      assertThat(firstFiles.get(i).get("repeats_run").isNull()).isTrue();
      assertThat(againFiles.get(i).get("status").asText()).isEqualTo("failed");
      assertThat(againFiles.get(i).get("repeats_run").asText()).isEqualTo(first.runId());
    }
  }

  @Test
  void aFileNameKeepsToOneLineAndABackquoteCannotEndItsCode() {
    RunMessage message =
        RunMessage.of(
            report(
                file(
                    "two\nlines`.csv",
                    new FileOutcome.FailedOnData(
                        "two\nlines`.csv line 1: empty", Optional.empty()))));

    assertThat(message.text())
        .contains("failed   two\\nlines`.csv\n")
        .contains("error: two\\nlines`.csv line 1: empty\n")
        .doesNotContain("two\nlines");
    String block = message.webhookPayload().get("blocks").get(2).get("text").get("text").asText();
    assertThat(block).startsWith("*failed* two\\nlines`.csv\n").doesNotContain("two\nlines");
    assertThat(message.html()).contains("two\\nlines`.csv");
    assertThat(
            RunMessage.of(
                    report(
                        file(
                            "plain.csv", new FileOutcome.Loaded(LoadCounts.written(1), List.of()))))
                .webhookPayload()
                .get("blocks")
                .get(2)
                .get("text")
                .get("text")
                .asText())
        .startsWith("*loaded* `plain.csv`\n");
  }

  @Test
  void aFilesWarningsAreInEveryChannelsMessage() {
    FileReport empty =
        new FileReport(
            "empty.csv",
            Optional.of("sha256:0"),
            new FileOutcome.Loaded(LoadCounts.written(0), List.of()),
            new FileStats(0, 0, 10, 5, Optional.empty()),
            List.of("the file has no rows; nothing was loaded"));
    RunMessage message = RunMessage.of(report(empty));

    assertThat(message.text())
        .contains("         warning: the file has no rows; nothing was loaded\n");
    assertThat(message.html()).contains("warning: the file has no rows; nothing was loaded");
    assertThat(message.webhookPayload().get("blocks").get(2).toString())
        .contains("warning: the file has no rows; nothing was loaded");
    assertThat(message.webhookPayload().get("text").asText())
        .contains("warning: the file has no rows; nothing was loaded");
  }
}
