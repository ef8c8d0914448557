package io.bucketload.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records with characters after a closing quote, spread over a file large enough that they fall on
 * every position of the parser's read buffers: each is a reject on its own line, and every other
 * record is read exactly.
 */
class RecordRecoveryTest {
  @ParameterizedTest(name = "line break {0}")
  @ValueSource(strings = {"LF", "CRLF"})
  void badRecordsAnywhereAreRejectedAndEveryOtherRecordIsKept(String lineBreak) throws IOException {
    String eol = lineBreak.equals("LF") ? "\n" : "\r\n";
    StringBuilder csv = new StringBuilder("id,name,note").append(eol);
    List<Long> badLines = new ArrayList<>();
    int records = 20_000;
    for (int i = 0; i < records; i++) {
      String name = "n" + "x".repeat(i % 37);
      if (i % 97 == 13) {
        csv.append(i).append(",\"").append(name).append("\"junk,note").append(eol);
        badLines.add(i + 2L);
      } else {
        csv.append(i).append(",\"").append(name).append("\",note ").append(i).append(eol);
      }
    }

    List<Long> rejected = new ArrayList<>();
    long kept = 0;
    try (CsvRowReader reader =
        CsvRowReader.open(
            new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
            "big.csv",
            CsvDialect.DEFAULT)) {
      for (Optional<RawRow> next = reader.next(); next.isPresent(); next = reader.next()) {
        RawRow row = next.get();
        if (row.defect().isPresent()) {
          assertThat(row.defect().get().reason()).isEqualTo("characters after a closing quote");
          assertThat(row.defect().get().field()).isEqualTo(1);
          rejected.add(row.line());
          continue;
        }
        int id = Integer.parseInt(row.fields()[0]);
        assertThat(row.line()).isEqualTo(id + 2L);
        assertThat(row.fields())
            .containsExactly(Integer.toString(id), "n" + "x".repeat(id % 37), "note " + id);
        kept++;
      }
    }

    assertThat(rejected).containsExactlyElementsOf(badLines);
    assertThat(kept).isEqualTo(records - badLines.size());
  }
}
