package io.bucketload.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.csv.CsvRowReader;
import io.bucketload.core.csv.PartInput;
import io.bucketload.core.csv.RawRow;
import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.schema.BoundSchema;
import io.bucketload.core.schema.RowRejected;
import io.bucketload.core.schema.SchemaSpec;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.RowLimit;
import io.bucketload.core.transform.FileContext;
import io.bucketload.core.transform.RowShape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file read in parts on several threads gives what one thread reading it gives: the same rows in
 * the same order with the same line numbers, the same rejects, the same failure on the same line.
 * Checked on every CSV edge case and on generated files whose quoted line breaks, CR LF pairs and
 * doubled quotes fall on part boundaries of every size.
 */
class ParallelReadingTest {
  private static final int[] PART_SIZES = {1, 2, 3, 5, 8, 13, 32, 100};

  @TempDir Path dir;

  static Stream<Arguments> cases() throws IOException {
    JsonNode cases =
        new ObjectMapper(new YAMLFactory())
            .readTree(ParallelReadingTest.class.getResourceAsStream("/csv-cases/cases.yaml"));
    List<Arguments> out = new ArrayList<>();
    cases.forEach(
        node -> {
          if (!node.has("gzip")) {
            out.add(Arguments.of(Named.of(node.get("id").asText(), node)));
          }
        });
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyEdgeCaseReadsInPartsAsInOne(JsonNode testCase) throws IOException {
    String name = testCase.get("file").asText();
    Path file = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/csv-cases/" + name)) {
      Files.write(file, in.readAllBytes());
    }
    CsvDialect dialect = io.bucketload.core.csv.CsvEdgeCasesTest.dialect(testCase);
    String whole = transcriptInOne(file, dialect);
    for (int size : PART_SIZES) {
      Optional<String> parts = transcriptInParts(file, dialect, size, 3);
      if (parts.isPresent()) {
        assertThat(parts.get()).as("parts of %d bytes", size).isEqualTo(whole);
      }
    }
  }

  @Test
  void generatedFilesWithLineBreaksQuotesAndBadRowsAtEveryBoundary() throws IOException {
    Random random = new Random(20261202L);
    for (int round = 0; round < 40; round++) {
      String lineBreak = round % 3 == 0 ? "\r\n" : "\n";
      StringBuilder csv = new StringBuilder("id,name,note").append(lineBreak);
      int rows = 20 + random.nextInt(60);
      for (int i = 1; i <= rows; i++) {
        int kind = random.nextInt(9);
        appendRow(csv, kind < 6 ? kind : -1, i, lineBreak, random);
        csv.append(lineBreak);
      }
      String whole = readsInPartsAsInOne("generated-" + round, csv, lineBreak, random, 1, 120, 7);
      assertThat(whole).contains("accepted").contains("rejected");
    }
  }

  /**
   * Appends row {@code i} of kind {@code kind} (without its line break): 0 to 5 quoted line breaks,
   * doubled quotes, a short row, a bare quote, a blank line before, quoted line breaks alone; 6 to
   * 11 values that mislead a guess of the quoting state; any other a plain row.
   */
  private static void appendRow(
      StringBuilder csv, int kind, int i, String lineBreak, Random random) {
    switch (kind) {
      case 0 -> csv.append(i).append(",\"two\r\nlines\",\"a, b\"");
      case 1 -> csv.append(i).append(",\"quoted \"\"twice\"\"\",\"\n\"");
      case 2 -> csv.append(i).append(",short");
      case 3 -> csv.append(i).append(",bare\"quote,x");
      case 4 -> csv.append(lineBreak).append(i).append(",after a blank line,");
      case 5 -> csv.append(i).append(",\"").append("\n".repeat(3)).append("\",end");
      case 6 -> csv.append(i).append(",\"{\"\"a\"\":1,\"\"b\"\":[2,3]}\",json");
      case 7 ->
          csv.append(i)
              .append(",\"\n")
              .append(i)
              .append(",x,y\n")
              .append(i)
              .append(",z,w\n")
              .append(i)
              .append(",u,v\n\",shaped");
      case 8 -> csv.append(i).append(",\"ends with comma,\",\"ends with break\n\"");
      case 9 -> csv.append(i).append(",\"\",\"\"\"\"");
      case 10 -> csv.append(i).append(",a,b,c,d");
      case 11 ->
          csv.append(i).append(",\"").append("long, ".repeat(random.nextInt(40))).append("\",l");
      default -> csv.append(i).append(",name ").append(i).append(",\u00e9t\u00e9 ").append(i);
    }
  }

  /**
   * Writes a generated file (without its last line break every fourth time), then reads it in parts
   * of sizes from {@code from} to below {@code to} in random steps of at most {@code step} bytes,
   * on 1 to 4 threads, and checks each reading against one thread's; returns that.
   */
  private String readsInPartsAsInOne(
      String name, StringBuilder csv, String lineBreak, Random random, int from, int to, int step)
      throws IOException {
    if (random.nextInt(4) == 1) {
      csv.setLength(csv.length() - lineBreak.length());
    }
    Path file = dir.resolve(name + ".csv");
    Files.writeString(file, csv);
    String whole = transcriptInOne(file, CsvDialect.DEFAULT);
    for (int size = from; size < to; size += 1 + random.nextInt(step)) {
      assertThat(transcriptInParts(file, CsvDialect.DEFAULT, size, 1 + size % 4))
          .as("%s, parts of %d bytes", name, size)
          .hasValue(whole);
    }
    return whole;
  }

  /**
   * Values that mislead a guess of the quoting state: JSON with doubled quotes and commas, lines
   * shaped like records inside quotes, quoted values ending with the delimiter or a line break,
   * empty quoted values, rows too wide or too short, bare quotes, carriage returns alone. (Run by
   * hand with 1,000 rounds, about 1.3 million cuts: every file read as one thread reads it.)
   */
  @Test
  void generatedFilesWithValuesThatMisleadAGuessReadInPartsAsInOne() throws IOException {
    Random random = new Random(20261205L);
    for (int round = 0; round < 40; round++) {
      String lineBreak = new String[] {"\n", "\r\n", "\r"}[random.nextInt(round % 5 == 0 ? 3 : 2)];
      StringBuilder csv = new StringBuilder("id,name,note").append(lineBreak);
      int rows = 30 + random.nextInt(200);
      for (int i = 1; i <= rows; i++) {
        appendRow(csv, random.nextInt(14), i, lineBreak, random);
        csv.append(lineBreak);
      }
      readsInPartsAsInOne("misleading-" + round, csv, lineBreak, random, 8, 300, 29);
    }
  }

  @Test
  void filesWithoutHeaderOrWithCarriageReturnsAloneReadInPartsAsInOne() throws IOException {
    CsvDialect noHeader = dialect('"', false);
    for (String lineBreak : new String[] {"\r", "\n", "\r\n"}) {
      StringBuilder csv = new StringBuilder();
      for (int i = 1; i <= 150; i++) {
        csv.append(i)
            .append(i % 4 == 0 ? ",\"a\rb\r\nc\"" : ",plain")
            .append(i % 9 == 0 ? ",extra" : "")
            .append(lineBreak);
      }
      for (CsvDialect dialect : new CsvDialect[] {noHeader, CsvDialect.DEFAULT}) {
        Path file = dir.resolve("lines-" + lineBreak.length() + lineBreak.charAt(0) + ".csv");
        Files.writeString(file, csv);
        String whole = transcriptInOne(file, dialect);
        assertThat(whole).contains("accepted").contains("expected 2 fields, found 3");
        for (int size : new int[] {1, 7, 30, 64, 200}) {
          assertThat(transcriptInParts(file, dialect, size, 2))
              .as("%s, header %s, parts of %d bytes", lineBreak, dialect.header(), size)
              .hasValue(whole);
        }
      }
    }
  }

  @Test
  void aQuoteLeftOpenFailsOnItsLineAfterThePartsAroundItAreReadAsOne() throws IOException {
    StringBuilder csv = new StringBuilder("id,note\n");
    for (int i = 1; i <= 200; i++) {
      csv.append(i).append(i == 120 ? ",\"never closed\n" : ",fine\n");
    }
    Path file = dir.resolve("open-quote.csv");
    Files.writeString(file, csv);
    String whole = transcriptInOne(file, CsvDialect.DEFAULT);
    assertThat(whole).startsWith("failed: open-quote.csv line 121:");
    assertThat(transcriptInParts(file, CsvDialect.DEFAULT, 64, 2)).hasValue(whole);
  }

  @Test
  void partsCutInsideRecordsAreReadWithTheirNextPartsUntilTheReadingEndsCleanly()
      throws IOException {
    StringBuilder csv = new StringBuilder("id,note\n");
    for (int i = 1; i <= 300; i++) {
      csv.append(i).append(i % 3 == 0 ? ",\"it's\nthree\nlines\"\n" : ",one line\n");
    }
    Path file = dir.resolve("misled.csv");
    Files.writeString(file, csv);
    String whole = transcriptInOne(file, CsvDialect.DEFAULT);
    // A splitter that takes ' for the quote cuts inside the reader's quoted fields.
    CsvDialect misleading = dialect('\'', true);
    for (int size : new int[] {1, 16, 40, 97}) {
      assertThat(transcriptInParts(file, CsvDialect.DEFAULT, misleading, size, 2))
          .as("parts of %d bytes", size)
          .hasValue(whole);
      if (size > 1) {
        // (Parts of 1 byte end in a tail within 8 bytes, read as it streams.)
        assertThat(lastRereads).as("parts read again with the next").isPositive();
      }
    }
  }

  @Test
  void aWellFormedFileIsCutOnlyWhereRecordsEnd() throws IOException {
    // The splitter counts quotes up to a part's size and follows the quoting rules only from
    // there: in a file whose quotes are all in quoted fields, no part is read again. Nor when it
    // guesses whether the place lies inside quotes, here where every record is of the header's
    // width and doubled quotes, quoted line breaks and empty quoted values abound.
    Random random = new Random(20261205L);
    for (int round = 0; round < 20; round++) {
      String lineBreak = round % 2 == 0 ? "\r\n" : "\n";
      StringBuilder csv = new StringBuilder("id,\"name\",note").append(lineBreak);
      for (int i = 1; i <= 150; i++) {
        switch (random.nextInt(5)) {
          case 0 -> csv.append(i).append(",\"two\r\nlines\",\"a, b\"");
          case 1 -> csv.append(i).append(",\"quoted \"\"twice\"\"\",\"\n\"");
          case 2 -> csv.append(i).append(",\"\",\"\"\"\"");
          case 3 -> csv.append(i).append(",\"").append("\n".repeat(4)).append("\",end");
          default -> csv.append(i).append(",name ").append(i).append(",plain");
        }
        csv.append(lineBreak);
      }
      Path file = dir.resolve("well-formed-" + round + ".csv");
      Files.writeString(file, csv);
      String whole = transcriptInOne(file, CsvDialect.DEFAULT);
      for (int size = 8; size < 400; size += 1 + random.nextInt(23)) {
        assertThat(transcriptInParts(file, CsvDialect.DEFAULT, size, 2))
            .as("round %d, parts of %d bytes", round, size)
            .hasValue(whole);
        assertThat(lastRereads).as("round %d, parts of %d bytes", round, size).isZero();
        assertThat(lastGuessedRereads)
            .as("round %d, parts of %d bytes, cuts guessed", round, size)
            .isZero();
      }
    }
  }

  @Test
  void aCutGuessedInsideQuotedRecordShapedLinesIsReadAgainWithTheNextPart() throws IOException {
    // Each note holds three lines shaped like records and ends with a line break: from inside
    // one, those lines read as well-formed records outside quotes, so the guess is outside.
    StringBuilder csv = new StringBuilder("id,note\n");
    for (int i = 1; i <= 150; i++) {
      csv.append(i)
          .append(i % 7 == 0 ? ",\"\n" + i + "a,b\n" + i + "c,d\n" + i + "e,f\n\"\n" : ",plain\n");
    }
    Path file = dir.resolve("record-shaped.csv");
    Files.writeString(file, csv);
    String whole = transcriptInOne(file, CsvDialect.DEFAULT);
    int guessedRereads = 0;
    for (int size = 10; size <= 120; size += 5) {
      assertThat(transcriptInParts(file, CsvDialect.DEFAULT, size, 2))
          .as("parts of %d bytes", size)
          .hasValue(whole);
      assertThat(lastRereads).as("parts of %d bytes, cuts counted", size).isZero();
      guessedRereads += lastGuessedRereads;
    }
    assertThat(guessedRereads).as("parts read again, cuts guessed").isPositive();
  }

  @Test
  void aRecordLongerThanEightPartsAfterTheFirstStreamsTheRestWithItsLines() throws IOException {
    StringBuilder csv = new StringBuilder("id,note\n");
    for (int i = 1; i <= 120; i++) {
      csv.append(i == 60 ? "x60" : String.valueOf(i)).append(",short\n");
    }
    csv.append("121,\"").append("a long note, \nover lines\n".repeat(40)).append("\"\n");
    for (int i = 122; i <= 240; i++) {
      csv.append(i % 50 == 0 ? "y" + i : String.valueOf(i)).append(",after\n");
    }
    Path file = dir.resolve("long-record.csv");
    Files.writeString(file, csv);
    String whole = transcriptInOne(file, CsvDialect.DEFAULT);
    assertThat(whole).contains("x60").contains("y150");
    for (int size : new int[] {16, 40, 64}) {
      assertThat(transcriptInParts(file, CsvDialect.DEFAULT, size, 2))
          .as("parts of %d bytes", size)
          .hasValue(whole);
    }
  }

  @Test
  void partsCutWronglyAgainAndAgainStreamTheRestInsteadOfBeingReadAgainEachTime()
      throws IOException {
    StringBuilder csv = new StringBuilder("id,note\n");
    for (int i = 1; i <= 300; i++) {
      csv.append(i).append(",\"").append("x\n".repeat(20)).append("\"\n");
    }
    Path file = dir.resolve("misled-often.csv");
    Files.writeString(file, csv);
    String whole = transcriptInOne(file, CsvDialect.DEFAULT);
    // Cut by a splitter that takes ' for the quote, nearly every part ends inside a record.
    assertThat(transcriptInParts(file, CsvDialect.DEFAULT, dialect('\'', true), 16, 2))
        .hasValue(whole);
    // Without a bound, each of the file's ~800 parts would be read again with all those before.
    assertThat(lastRereads).isPositive().isLessThan(30);
  }

  /**
   * With {@code source.line} among the values, the parts are cut where the quotes and line breaks
   * before them say; without, where the bytes around each cut say, each part numbered from its own
   * start until the parts before it are taken (the rejects file names the same lines either way).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"line_read: source.line", "file_read: source.name"})
  void aRunReadingAFileOnSeveralThreadsLoadsWhatOneThreadLoads(String added) throws Exception {
    Path landing = Files.createDirectories(dir.resolve("landing"));
    StringBuilder csv = new StringBuilder("id,name,amount,day,note\r\n");
    Random random = new Random(7);
    for (int i = 1; i <= 80_000; i++) {
      // Rows in file order with their lines; some rows are bad, notes span lines.
      int id = random.nextInt(60_000);
      csv.append(i % 997 == 0 ? "x" + id : String.valueOf(id))
          .append(",\"name ")
          .append(i)
          .append("\",")
          .append(i % 1000)
          .append('.')
          .append(String.format("%02d", i % 100))
          .append(",2026-12-")
          .append(String.format("%02d", 1 + i % 28))
          .append(',')
          .append(i % 5 == 0 ? "\"two\r\nlines, \"\"quoted\"\"\"" : "plain")
          .append("\r\n");
    }
    Files.writeString(landing.resolve("items.csv"), csv);
    assertThat(Files.size(landing.resolve("items.csv")))
        .as("large enough for several parts")
        .isGreaterThan(3 * ThreadPartReading.PART_BYTES);
    String yaml =
        """
        name: items
        source: {path: landing, settle: 0s, read_threads: %d}
        schema:
          columns:
            - {name: id, type: long}
            - name
            - {name: amount, type: "decimal(10,2)"}
            - {name: day, type: date}
            - note
        target: {table: items, mode: append}
        rejects: {max: 100}
        transform:
          - add: {%s}
        """
            .replace("%s", added);
    List<Long> progress = new ArrayList<>();
    String one = load(landing, yaml, 1, new ArrayList<>());
    String three = load(landing, yaml, 3, progress);
    assertThat(one)
        .startsWith("80000 read, 80 rejected, " + Files.size(landing.resolve("items.csv")));
    assertThat(one).contains("[59999, ").contains("two\r\nlines, \"quoted\"");
    assertThat(three).isEqualTo(one);
    List<Long> partEnds = new ArrayList<>();
    try (RecordSplitter splitter =
        RecordSplitter.open(
                landing.resolve("items.csv"),
                CsvDialect.DEFAULT,
                ThreadPartReading.PART_BYTES,
                false)
            .orElseThrow()) {
      for (Optional<RecordSplitter.Part> part = splitter.next();
          part.isPresent();
          part = splitter.next()) {
        partEnds.add(part.get().end());
      }
    }
    assertThat(partEnds).hasSizeGreaterThan(3);
    assertThat(progress).as("progress told at the end of every part").containsAll(partEnds);
  }

  @Test
  void aFileWhoseFirstRecordOutgrowsAPartLoadsAsItStreams() throws Exception {
    Path landing = Files.createDirectories(dir.resolve("long-first"));
    StringBuilder csv = new StringBuilder("id,text\n1,\"");
    csv.append("a long text, with commas\n and line breaks, ".repeat(250_000)).append("\"\n");
    for (int i = 2; i <= 60_000; i++) {
      csv.append(i).append(",short ").append(i).append('\n');
    }
    Files.writeString(landing.resolve("items.csv"), csv);
    assertThat((long) csv.length())
        .as("the first record alone is longer than the longest part")
        .isGreaterThan(8 * ThreadPartReading.PART_BYTES + 60_000 * 10);
    String yaml =
        """
        name: items
        source: {path: long-first, settle: 0s, read_threads: %d}
        format: {max_field_chars: 16777216, max_record_chars: 16777216}
        schema:
          columns: [{name: id, type: long}, text]
        target: {table: items, mode: append}
        """;
    String one = load(landing, yaml, 1, new ArrayList<>());
    assertThat(one).startsWith("60000 read, 0 rejected");
    assertThat(load(landing, yaml, 3, new ArrayList<>())).isEqualTo(one);
  }

  /**
   * Runs the pipeline {@code yaml} (with {@code %d} for its read threads) over the file in {@code
   * landing} into a memory target; returns the counts, the rejects file and the rows loaded.
   */
  private String load(Path landing, String yaml, int threads, List<Long> progress)
      throws Exception {
    Path rejected = landing.resolve("rejected");
    if (Files.exists(rejected)) {
      try (Stream<Path> files = Files.walk(rejected)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    io.bucketload.core.spec.PipelineSpec spec =
        new io.bucketload.core.spec.PipelineSpecReader()
            .read(new java.io.StringReader(yaml.formatted(threads)), dir.resolve("p.yaml"), dir);
    MemoryTarget target = new MemoryTarget();
    LoadListener listener =
        new LoadListener() {
          @Override
          public void progress(
              io.bucketload.core.source.SourceObject object, long rowsRead, long bytesRead) {
            progress.add(bytesRead);
          }
        };
    RunReport report =
        new PipelineRunner(
                spec,
                new io.bucketload.core.source.LocalFolderSource(landing, spec.source().match()),
                new io.bucketload.core.source.LocalFolderOutputs(landing),
                target,
                listener,
                java.time.Clock.systemUTC())
            .run(List.of(), RunOptions.LOAD);
    FileReport file = report.files().get(0);
    assertThat(file.status()).as("%s", file).isEqualTo(io.bucketload.core.target.FileStatus.LOADED);
    StringBuilder outcome = new StringBuilder();
    outcome
        .append(file.stats().rowsRead())
        .append(" read, ")
        .append(file.stats().rowsRejected())
        .append(" rejected, ")
        .append(file.stats().bytes())
        .append(" bytes\n");
    if (file.stats().rejectsPath().isPresent()) {
      outcome.append(Files.readString(Path.of(file.stats().rejectsPath().get())));
    }
    for (Object[] row : target.rows("items")) {
      outcome.append(Arrays.toString(row)).append('\n');
    }
    for (String warning : file.warnings()) {
      outcome.append("warning: ").append(warning).append('\n');
    }
    return outcome.toString();
  }

  @Test
  void recordShapedLinesInTheFirstRecordOfAPartArePointedOutAsOnOneThread() throws Exception {
    Path landing = Files.createDirectories(dir.resolve("first-of-part"));
    String header = "id,name,note\n";
    String shaped = "0,\"x,y,z\nx,y,z\nx,y,z\nx,y,z\",end\n";
    StringBuilder csv = new StringBuilder(header);
    long partStart = 0;
    int parts = 1;
    for (int i = 1; i <= 40_000; i++) {
      csv.append(i).append(",name ").append(i).append(",plain\n");
      // A part ends at the first record's end at or after its size: the record after it starts
      // the next part, here the third, whose reader numbers its lines from its own start when
      // the cuts are guessed.
      if (csv.length() >= partStart + ThreadPartReading.PART_BYTES) {
        partStart = csv.length();
        if (++parts == 3) {
          csv.append(shaped);
        }
      }
    }
    Files.writeString(landing.resolve("items.csv"), csv);
    // Read as bytes (UTF-8), and by the text parser (another encoding).
    for (String encoding : new String[] {"UTF-8", "ISO-8859-1"}) {
      String yaml =
          """
          name: items
          source: {path: first-of-part, settle: 0s, read_threads: %d}
          format: {encoding: ENCODING}
          target: {table: items, mode: append}
          """
              .replace("ENCODING", encoding);

      String one = load(landing, yaml, 1, new ArrayList<>());

      assertThat(one).contains("warning: line ").contains("holds 3 lines shaped like records");
      assertThat(load(landing, yaml, 3, new ArrayList<>())).as(encoding).isEqualTo(one);
    }
  }

  @Test
  void aPartAfterABlankLineMeasuresItsFirstRecordAsOneThreadDoes() throws Exception {
    // One thread measures a record after a blank line against no fields: no warning.
    for (String lineBreak : new String[] {"\n", "\r\n"}) {
      Path landing = Files.createDirectories(dir.resolve("after-blank-" + lineBreak.length()));
      StringBuilder csv = new StringBuilder("id,name,note").append(lineBreak);
      long wanted = ThreadPartReading.PART_BYTES;
      int i = 1;
      while (csv.length() + 80 < wanted) {
        csv.append(i++).append(",name,plain").append(lineBreak);
      }
      // A record that ends where the blank line after it ends at the part's size: the cut.
      String id = String.valueOf(i++);
      int padding =
          (int) (wanted - csv.length() - 2 * lineBreak.length() - id.length() - ",,x".length());
      csv.append(id).append(',').append("n".repeat(padding)).append(",x");
      csv.append(lineBreak).append(lineBreak);
      assertThat(csv.length()).isEqualTo(wanted);
      csv.append("0,\"x,y,z").append(lineBreak).append("x,y,z").append(lineBreak);
      csv.append("x,y,z").append(lineBreak).append("x,y,z\",end").append(lineBreak);
      while (csv.length() < 3 * wanted) {
        csv.append(i++).append(",name,plain").append(lineBreak);
      }
      Files.writeString(landing.resolve("items.csv"), csv);
      String yaml =
          """
          name: items
          source: {path: PATH, settle: 0s, read_threads: %d}
          target: {table: items, mode: append}
          """
              .replace("PATH", landing.getFileName().toString());

      String one = load(landing, yaml, 1, new ArrayList<>());

      assertThat(one).as("%s", lineBreak.length()).doesNotContain("shaped like records");
      assertThat(load(landing, yaml, 3, new ArrayList<>())).isEqualTo(one);
    }
  }

  @Test
  void aQuoteWithoutItsPartnerInALaterPartIsPointedOutAsOnOneThread() throws Exception {
    Path landing = Files.createDirectories(dir.resolve("stray"));
    StringBuilder csv = new StringBuilder("id,name,note\n");
    for (int i = 1; i <= 60_000; i++) {
      if (i == 40_000) {
        csv.append(i).append(",\"stray,x\n");
      } else if (i == 40_050) {
        csv.append(i).append(",partner\",y\n");
      } else if (i == 10) {
        csv.append(i).append(",\"a name, meant\nto run, on two lines\",plain\n");
      } else {
        csv.append(i).append(",name ").append(i).append(",plain\n");
      }
    }
    Files.writeString(landing.resolve("items.csv"), csv);
    String yaml =
        """
        name: items
        source: {path: stray, settle: 0s, read_threads: %d}
        schema:
          columns: [{name: id, type: long}, name, note]
        target: {table: items, mode: append}
        """;

    String one = load(landing, yaml, 1, new ArrayList<>());

    assertThat(one).startsWith("59950 read, 0 rejected");
    assertThat(one)
        .endsWith(
            "warning: line 40002: the quoted value of 'name' runs to line 40052 and holds 49 lines"
                + " shaped like records: a quote without its partner reads every line up to the"
                + " next quote as one value; if that happened, correct the file and load it"
                + " again\n");
    assertThat(load(landing, yaml, 3, new ArrayList<>())).isEqualTo(one);
  }

  @Test
  void aFileTooSmallForTwoPartsOrCompressedOrWideIsNotCut() throws IOException {
    Path small = dir.resolve("small.csv");
    Files.writeString(small, "id\n1\n");
    assertThat(RecordSplitter.open(small, CsvDialect.DEFAULT, 4, false)).isEmpty();
    Path gzip = dir.resolve("data.csv.gz");
    Files.write(gzip, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5});
    assertThat(RecordSplitter.open(gzip, CsvDialect.DEFAULT, 4, false)).isEmpty();
    Path wide = dir.resolve("wide.csv");
    Files.write(wide, new byte[] {(byte) 0xff, (byte) 0xfe, 'i', 0, 'd', 0, '\n', 0, '1', 0});
    assertThat(RecordSplitter.open(wide, CsvDialect.DEFAULT, 2, false)).isEmpty();
  }

  private int lastRereads;

  /** {@link #lastRereads} when the cuts were guessed. */
  private int lastGuessedRereads;

  /** What one thread makes of the file: accepted rows, rejects and the failure, in order. */
  private static String transcriptInOne(Path file, CsvDialect dialect) throws IOException {
    Transcript transcript = new Transcript();
    try (CsvRowReader reader =
        CsvRowReader.open(Files.newInputStream(file), file.getFileName().toString(), dialect)) {
      Optional<RawRow> first = dialect.header() ? Optional.empty() : reader.next();
      RowPreparer preparer = preparer(names(reader, first));
      for (Optional<RawRow> row = first.isPresent() ? first : reader.next();
          row.isPresent();
          row = reader.next()) {
        preparer.prepare(row.get(), transcript);
      }
    } catch (RuntimeException | IOException e) {
      transcript.failed(e);
    }
    return transcript.toString();
  }

  /**
   * The same, read in parts of {@code partBytes} on {@code threads} threads; empty when not cut.
   */
  private Optional<String> transcriptInParts(
      Path file, CsvDialect dialect, int partBytes, int threads) throws IOException {
    return transcriptInParts(file, dialect, dialect, partBytes, threads);
  }

  private Optional<String> transcriptInParts(
      Path file, CsvDialect dialect, CsvDialect cutAs, int partBytes, int threads)
      throws IOException {
    Optional<String> counted = transcriptInParts(file, dialect, cutAs, partBytes, threads, false);
    int countedRereads = lastRereads;
    Optional<String> guessed = transcriptInParts(file, dialect, cutAs, partBytes, threads, true);
    assertThat(guessed).as("cuts guessed, parts numbered when taken").isEqualTo(counted);
    lastGuessedRereads = lastRereads;
    lastRereads = countedRereads;
    return counted;
  }

  /**
   * The same, with cuts {@linkplain RecordSplitter#guessCuts(int) guessed} or found by counting
   * quotes from the file's start.
   */
  private Optional<String> transcriptInParts(
      Path file, CsvDialect dialect, CsvDialect cutAs, int partBytes, int threads, boolean guess)
      throws IOException {
    Optional<RecordSplitter> splitter =
        RecordSplitter.open(file, cutAs, partBytes, !dialect.header());
    if (splitter.isEmpty()) {
      return Optional.empty();
    }
    Transcript transcript = new Transcript();
    RecordSplitter.Part first = splitter.get().next().orElseThrow();
    PartInput input = PartInput.open(splitter.get().bytes(), first);
    String name = file.getFileName().toString();
    CsvRowReader reader;
    try {
      reader = CsvRowReader.open(input, name, dialect);
    } catch (RuntimeException e) {
      splitter.get().close();
      transcript.failed(e);
      return Optional.of(transcript.toString());
    }
    RowPreparer preparer;
    Optional<RawRow> firstRow;
    try {
      firstRow = dialect.header() ? Optional.empty() : reader.next();
      preparer = preparer(names(reader, firstRow));
    } catch (RuntimeException e) {
      reader.close();
      splitter.get().close();
      transcript.failed(e);
      return Optional.of(transcript.toString());
    }
    PartReader local =
        new PartReader(
            splitter.get().bytes(),
            name,
            file.toString(),
            dialect,
            reader.charset(),
            preparer,
            List.of());
    FileParts elsewhere =
        new FileParts(
            "run",
            "input",
            List.of(),
            1,
            name,
            name,
            file.toString(),
            Instant.EPOCH,
            file.toString(),
            java.nio.file.Files.size(file),
            "",
            reader.charset().name(),
            false);
    try (reader;
        ParallelReading parts =
            new ParallelReading(
                name,
                splitter.get(),
                local,
                PartReading.threads(threads).workers(elsewhere, local, Optional.empty()))) {
      if (guess) {
        splitter.get().guessCuts(preparer.fieldCount());
      }
      parts.start();
      Optional<PartRows> part = parts.first(first, reader, input, firstRow);
      boolean going = true;
      while (part.isPresent() && (going = transcript.take(part.get()))) {
        part = parts.next();
      }
      if (going) {
        try {
          parts.streamRest(transcript);
        } catch (RuntimeException | IOException e) {
          transcript.failed(e);
        }
      }
      lastRereads = parts.rereads();
    }
    return Optional.of(transcript.toString());
  }

  /** The default dialect with another quote, with or without a header. */
  private static CsvDialect dialect(char quote, boolean header) {
    CsvDialect defaults = CsvDialect.DEFAULT;
    return new CsvDialect(
        defaults.delimiter(),
        quote,
        header,
        defaults.encoding(),
        defaults.nullValues(),
        defaults.maxFieldChars(),
        defaults.maxRecordChars(),
        defaults.bareQuotes(),
        defaults.trailingDelimiter(),
        defaults.skipLines(),
        defaults.headerRows());
  }

  /** The header's names, or {@code column_1..n} after the first record of a file without one. */
  private static List<String> names(CsvRowReader reader, Optional<RawRow> first) {
    if (first.isEmpty()) {
      return reader.header();
    }
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= first.get().fields().length; i++) {
      names.add("column_" + i);
    }
    return names;
  }

  private static RowPreparer preparer(List<String> header) {
    try {
      SchemaSpec schema = new SchemaSpec(List.of(), List.of());
      BoundSchema bound = BoundSchema.bind(header, schema, "file");
      RowShape shape = RowShape.compile(bound.columns(), List.of(), List.of());
      return new RowPreparer(
          header,
          bound,
          shape,
          RowLimit.NONE,
          new FileContext("file", "file", LocalDateTime.of(2026, 12, 2, 0, 0)),
          CsvDialect.DEFAULT.maxFieldChars(),
          CsvDialect.DEFAULT.maxRecordChars());
    } catch (io.bucketload.core.transform.ShapeException e) {
      throw new AssertionError(e);
    }
  }

  /** Outcomes written down as text, so that two readings compare as strings. */
  private static final class Transcript implements RowPreparer.Outcomes {
    private final List<String> accepted = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private String failure = "";

    @Override
    public void accepted(Object[] values, long line) {
      accepted.add(line + " " + Arrays.toString(values));
    }

    @Override
    public void filtered() {
      accepted.add("filtered");
    }

    @Override
    public void rejected(RawRow row, RowRejected reasons) {
      rejected.add(row.line() + " " + reasons.problems());
    }

    void failed(Exception e) {
      failure = "failed: " + e.getMessage();
    }

    /** Takes a part's outcomes; returns whether reading goes on after it. */
    boolean take(PartRows part) {
      for (RowChunk chunk : part.chunks()) {
        for (int i = 0; i < chunk.size(); i++) {
          accepted(chunk.row(i), chunk.line(i));
        }
      }
      for (PartRows.Reject reject : part.rejects()) {
        rejected(reject.row(), reject.rejected());
      }
      part.failure().ifPresent(this::failed);
      return part.failure().isEmpty();
    }

    /**
     * The rows and rejects, or, when the reading failed, the failure alone: a file that fails loads
     * nothing, and one thread decoding ahead may fail before handing over rows that parts did.
     */
    @Override
    public String toString() {
      return failure.isEmpty() ? "accepted " + accepted + "\nrejected " + rejected : failure;
    }
  }
}
