package io.bucketload.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Quoted values that hold lines shaped like records: a quote without its partner, likely. */
class RecordsInQuotesTest {
  private static Optional<RecordsInQuotes> read(String csv, CsvDialect dialect) throws IOException {
    try (CsvRowReader reader =
        CsvRowReader.open(
            new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "f.csv", dialect)) {
      while (reader.next().isPresent()) {
        // read every record
      }
      return reader.recordsInQuotes();
    }
  }

  @Test
  void aStrayQuoteFoldingRecordsIntoOneValueIsFoundWithItsLines() throws IOException {
    String csv = "id,name,note\r\n1,a,b\r\n2,\"stray,x\r\n3,c,d\r\n4,e,f\r\n5,g,h\r\n6,i\",j\r\n";

    RecordsInQuotes found = read(csv, CsvDialect.DEFAULT).orElseThrow();

    assertThat(found).isEqualTo(new RecordsInQuotes(3, 1, 3, 7, 1));
  }

  @Test
  void theValueIsPlacedAfterLineBreaksOfEarlierFieldsAndEveryOneIsCounted() throws IOException {
    String folded = "\"x\n1;2;3\n4;5;6\n7;8;9\"";
    String csv = "a;b;c\n\"two\nlines\";" + folded + ";z\n1;2;3\n\"q\";" + folded + ";z\n";

    RecordsInQuotes found =
        read(
                csv,
                new CsvDialect(
                    ';',
                    '"',
                    true,
                    StandardCharsets.UTF_8,
                    java.util.Set.of(""),
                    CsvDialect.DEFAULT_MAX_FIELD_CHARS,
                    CsvDialect.DEFAULT_MAX_RECORD_CHARS))
            .orElseThrow();

    assertThat(found).isEqualTo(new RecordsInQuotes(2, 1, 3, 6, 2));
  }

  @Test
  void multiLineValuesThatDoNotLookLikeRecordsAreNotReported() throws IOException {
    String csv =
        "id,address,note\n"
            + "1,\"12 High St, Leeds\nLS1 4AB, UK\",x\n"
            + "2,\"one, two, three, four\nfive, six, seven\neight, nine, ten, eleven\",y\n"
            + "3,\"a line\nanother line\nand a third\nand a fourth\",z\n";

    assertThat(read(csv, CsvDialect.DEFAULT)).isEmpty();
  }
}
