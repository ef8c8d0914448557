package io.bucketload.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.csv.RawRow;
import io.bucketload.core.source.LocalFolderOutputs;
import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.SourceObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rejects file read back as the run's writer wrote it. */
class RejectsFileTest {
  @TempDir Path dir;

  @Test
  void theWritersFileIsFoundByItsKeyAndSummedUpByReason() throws IOException {
    LocalFolderOutputs outputs = new LocalFolderOutputs(dir);
    SourceObject object = new SourceObject("day1/orders.csv.gz", "day1/orders.csv.gz", 1);
    RejectsWriter writer =
        new RejectsWriter(outputs, "rejected", object, List.of("id", "amount", "note"));
    for (int line = 2; line < 30; line++) {
      String amount = line % 3 == 0 ? "x" + line : "1.5";
      writer.write(
          new RawRow(
              line, new String[] {"" + line, amount, "a, \"quoted\"\nnote"}, RawRow.Oversize.NONE),
          line % 3 == 0 ? "amount" : "",
          line % 3 == 0 ? amount : "",
          line % 3 == 0 ? "not a decimal" : "expected 3 fields, found 4");
    }
    writer.finish();

    String path = RejectsFile.pathOf("day1/orders.csv.gz", "rejected");
    RejectsFile.Summary summary;
    try (OutputStore.Stored stored = outputs.open(path).orElseThrow()) {
      summary = RejectsFile.summarize(stored.stream(), 3, 1000);
    }

    assertThat(path).isEqualTo("day1/rejected/orders.rejects.csv");
    assertThat(summary.rows()).isEqualTo(28);
    assertThat(summary.complete()).isTrue();
    assertThat(summary.reasons())
        .containsExactly(
            new RejectsFile.ReasonCount(
                new RejectsFile.Reason("", "expected 3 fields, found 4"), 19),
            new RejectsFile.ReasonCount(new RejectsFile.Reason("amount", "not a decimal"), 9));
    assertThat(summary.first())
        .containsExactly(
            new RejectsFile.Rejected(2, "", "", "expected 3 fields, found 4"),
            new RejectsFile.Rejected(3, "amount", "x3", "not a decimal"),
            new RejectsFile.Rejected(4, "", "", "expected 3 fields, found 4"));
    assertThat(outputs.open("day1/rejected/none.rejects.csv")).isEmpty();

    RejectsFile.Summary cut;
    try (OutputStore.Stored stored = outputs.open(path).orElseThrow()) {
      cut = RejectsFile.summarize(stored.stream(), 3, 10);
    }
    assertThat(cut.rows()).isEqualTo(10);
    assertThat(cut.complete()).as("the file has more rows").isFalse();
  }

  @Test
  void aRecordWithSeveralProblemsCountsOnceAmongTheRejectedRecords() throws IOException {
    String file =
        "line,column,value,reason\n"
            + "3,age,x,not an int\n"
            + "3,born,31-02-1990,not a date\n"
            + "5,age,y,not an int\n";

    RejectsFile.Summary summary =
        RejectsFile.summarize(
            new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), 10, 1000);

    assertThat(summary.rows()).isEqualTo(3);
    assertThat(summary.records()).isEqualTo(2);
  }

  @Test
  void longValuesAreCutAndAFileThatIsNotARejectsFileIsSaidToBeSo() throws IOException {
    String longValue = "v".repeat(RejectsFile.SHOWN_VALUE_CHARS + 50);
    String file = "line,column,value,reason\n7,note," + longValue + ",too long\n";

    RejectsFile.Summary summary =
        RejectsFile.summarize(
            new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), 10, 1000);

    assertThat(summary.first().get(0).value())
        .hasSize(RejectsFile.SHOWN_VALUE_CHARS + 1)
        .endsWith("\u2026");
    assertThatThrownBy(
            () ->
                RejectsFile.summarize(
                    new ByteArrayInputStream("id,name\n1,a\n".getBytes(StandardCharsets.UTF_8)),
                    10,
                    1000))
        .hasMessageContaining("not a rejects file");
  }
}
