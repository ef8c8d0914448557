package io.bucketload.jdbc.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.FileStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB reading a file itself ({@code target.direct_read}, the default) loads exactly what
 * bucketload's reader loads: the same outcome, counts, warnings, rejects and rows in the same
 * order, for every CSV edge case and for generated files mixing plain values with values in other
 * forms, rejects, ragged records, line breaks in quotes and values over the limits. Each file is
 * loaded twice, into two databases: once with DuckDB's reader allowed, once without.
 */
class DuckDbDirectReadIT {
  private static final String SCHEMALESS =
      """
      name: direct
      source: {path: landing, settle: 0s, match: "*.csv"}
      target: {path: test.duckdb, table: t, mode: append, direct_read: %s}
      rejects: {max: 1000}
      """;

  private static final String TYPED =
      """
      name: direct
      source: {path: landing, settle: 0s, match: "*.csv"}
      %s
      schema:
        columns:
          - {name: id, type: long, required: true}
          - {name: n, type: int}
          - {name: amount, type: "decimal(12,2)"}
          - {name: d, type: date}
          - {name: ts, type: timestamp}
          - {name: flag, type: boolean}
          - {name: s, type: string}
          - {name: t, type: string, required: %s}
      target: {path: test.duckdb, table: t, mode: %s, direct_read: %s}
      rejects: {max: %s}
      """;

  @TempDir Path dir;

  /** What a load did, with the folder it ran in written as {@code <dir>}. */
  private record Outcome(
      String outcome,
      FileStatus status,
      long rowsRead,
      long rowsRejected,
      long rowsLoaded,
      List<String> warnings,
      String rejects,
      List<String> rows) {}

  private Outcome load(String name, String pipeline, String fileName, byte[] content)
      throws IOException, SQLException {
    LoadFixture fixture = new LoadFixture(Files.createDirectories(dir.resolve(name)));
    Files.write(fixture.landing.resolve(fileName), content);
    Path file = fixture.pipeline(pipeline);
    RunReport report = fixture.run(file);
    assertThat(report.files()).hasSize(1);
    FileReport only = report.files().get(0);
    return outcome(fixture, only, rows(fixture));
  }

  /** The table's rows in the order they were appended, or "no table". */
  private static List<String> rows(LoadFixture fixture) {
    try {
      return fixture.query("SELECT * FROM t ORDER BY rowid");
    } catch (SQLException e) {
      return List.of("no table");
    }
  }

  /** What the load of {@code only} did, with the fixture's folder written as {@code <dir>}. */
  private static Outcome outcome(LoadFixture fixture, FileReport only, List<String> rows)
      throws IOException {
    String folder = fixture.dir.toString();
    String rejects =
        only.stats().rejectsPath().isPresent()
            ? Files.readString(Path.of(only.stats().rejectsPath().get())).replace(folder, "<dir>")
            : "";
    return new Outcome(
        only.outcome().toString().replace(folder, "<dir>"),
        only.status(),
        only.rowsRead(),
        only.rowsRejected(),
        only.rowsLoaded(),
        only.warnings().stream().map(warning -> warning.replace(folder, "<dir>")).toList(),
        rejects,
        rows);
  }

  /** Loads the file both ways and checks they agree; true when DuckDB read it itself. */
  private boolean bothWays(String name, String pipeline, String fileName, byte[] content)
      throws IOException, SQLException {
    Outcome bucketload = load(name + "-bucketload", pipeline.formatted("false"), fileName, content);
    long before = DuckDbTableLoad.filesReadDirectly();
    Outcome direct = load(name + "-direct", pipeline.formatted("true"), fileName, content);
    boolean readDirectly = DuckDbTableLoad.filesReadDirectly() > before;
    assertThat(direct)
        .as("%s, %s", name, readDirectly ? "read by DuckDB" : "DuckDB declined")
        .isEqualTo(bucketload);
    return readDirectly;
  }

  /**
   * Loads {@code files} (name to content) in one run each way, into two databases, and checks that
   * both ways agree on every file and on the table, whose rows the files appended one after the
   * other in key order; returns how many of the files DuckDB read itself. One run per way instead
   * of one per file: each run opens its database, which costs more than a file of a few rows.
   */
  private long bothWaysInOneRun(
      String name, String pipeline, java.util.SortedMap<String, byte[]> files)
      throws IOException, SQLException {
    List<Outcome> bucketload = loadAll(name + "-bucketload", pipeline.formatted("false"), files);
    long before = DuckDbTableLoad.filesReadDirectly();
    List<Outcome> direct = loadAll(name + "-direct", pipeline.formatted("true"), files);
    long readDirectly = DuckDbTableLoad.filesReadDirectly() - before;
    assertThat(direct.get(direct.size() - 1).rows())
        .as("%s, the table", name)
        .isEqualTo(bucketload.get(bucketload.size() - 1).rows());
    List<String> names = List.copyOf(files.keySet());
    for (int i = 0; i < names.size(); i++) {
      assertThat(direct.get(i)).as("%s, %s", name, names.get(i)).isEqualTo(bucketload.get(i));
    }
    return readDirectly;
  }

  /**
   * The outcome of each of {@code files}, in key order, loaded by one run; the last one's rows are
   * those of the whole table, the others' none.
   */
  private List<Outcome> loadAll(
      String name, String pipeline, java.util.SortedMap<String, byte[]> files)
      throws IOException, SQLException {
    LoadFixture fixture = new LoadFixture(Files.createDirectories(dir.resolve(name)));
    for (java.util.Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(fixture.landing.resolve(file.getKey()), file.getValue());
    }
    RunReport report = fixture.run(fixture.pipeline(pipeline));
    assertThat(report.files())
        .extracting(FileReport::file)
        .containsExactlyElementsOf(files.keySet());
    // The table once, with the last file's outcome (compared on its own, so that a difference in
    // the rows is not told as one of the first file).
    List<FileReport> loaded = report.files();
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < loaded.size(); i++) {
      outcomes.add(
          outcome(fixture, loaded.get(i), i == loaded.size() - 1 ? rows(fixture) : List.of()));
    }
    return outcomes;
  }

  private static List<String> edgeCaseFiles() throws IOException {
    Set<String> files = new LinkedHashSet<>();
    try (InputStream cases = resource("csv-cases/cases.yaml")) {
      Matcher file =
          Pattern.compile("file: (\\S+)")
              .matcher(new String(cases.readAllBytes(), StandardCharsets.UTF_8));
      while (file.find()) {
        files.add(file.group(1));
      }
    }
    return List.copyOf(files);
  }

  private static InputStream resource(String name) {
    return Objects.requireNonNull(
        DuckDbDirectReadIT.class.getClassLoader().getResourceAsStream(name), name);
  }

  @Test
  void everyCsvEdgeCaseLoadsAsBucketloadsReaderLoadsIt() throws Exception {
    List<String> files = edgeCaseFiles();
    assertThat(files).hasSizeGreaterThan(30);
    List<String> direct = new ArrayList<>();
    for (String file : files) {
      byte[] content;
      try (InputStream in = resource("csv-cases/" + file)) {
        content = in.readAllBytes();
      }
      if (bothWays(file.replace(".csv", ""), SCHEMALESS, "case.csv", content)) {
        direct.add(file);
      }
    }
    // The plain ones go through DuckDB's reader; the others fall back or are not offered.
    assertThat(direct)
        .contains("simple.csv", "quoted-delimiter.csv", "doubled-quotes.csv", "crlf.csv")
        .doesNotContain("bare-quote.csv", "ragged.csv", "latin1.csv", "bom-utf16le.csv");
  }

  @Test
  void generatedFilesLoadAsBucketloadsReaderLoadsThem() throws Exception {
    Random random = new Random(20261204L);
    int read = 0;
    int declined = 0;
    for (int i = 0; i < 48; i++) {
      boolean plain = i % 2 == 0;
      String format =
          i % 4 >= 2 ? "format: {max_field_chars: 16, max_record_chars: 64}" : "format: {}";
      String pipeline =
          TYPED.formatted(
              format,
              i % 3 == 0 ? "true" : "false",
              i % 5 == 0 ? "replace" : "append",
              "%s",
              i % 6 == 5 ? "0" : "1000");
      if (bothWays("file-" + i, pipeline, "gen.csv", generated(random, plain))) {
        read++;
      } else {
        declined++;
      }
    }
    assertThat(read).as("files DuckDB read").isGreaterThan(5);
    assertThat(declined).as("files DuckDB declined").isGreaterThan(10);
  }

  @Test
  void aValueInAnotherFormIsLoadedByBucketloadsReaderAsItReadsIt() throws Exception {
    String pipeline = TYPED.formatted("format: {}", "false", "append", "%s", "0");
    String header = "id,n,amount,d,ts,flag,s,t\n";
    assertThat(
            bothWays(
                "plain",
                pipeline,
                "p.csv",
                (header + "1,+5,12.5,2024-01-31,2024-01-31T12:00:00.5,true,\"a,b\",\n")
                    .getBytes(StandardCharsets.UTF_8)))
        .isTrue();
    assertThat(
            bothWays(
                "upper-case",
                pipeline,
                "u.csv",
                (header + "1,5,12.50,2024-01-31,2024-01-31 12:00:00,TRUE,x,y\n")
                    .getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    Outcome upperCase =
        load(
            "upper-case-again",
            pipeline.formatted("true"),
            "u.csv",
            (header + "1,5,12.50,2024-01-31,2024-01-31 12:00:00,TRUE,x,y\n")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(upperCase.status()).isEqualTo(FileStatus.LOADED);
    assertThat(upperCase.rows())
        .containsExactly("1|5|12.50|2024-01-31|2024-01-31 12:00:00.0|true|x|y");
  }

  @Test
  void progressIsToldInBytesWhileDuckDbReadsAndInRowsAtTheEnd() throws Exception {
    LoadFixture fixture = new LoadFixture(Files.createDirectories(dir.resolve("progress")));
    int rows = 1_500_000;
    Path file = fixture.landing.resolve("big.csv");
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write("id,name\n");
      for (int i = 0; i < rows; i++) {
        out.write(i + ",name " + i + "\n");
      }
    }
    long size = Files.size(file);
    List<long[]> told = Collections.synchronizedList(new ArrayList<>());
    LoadListener listener =
        new LoadListener() {
          @Override
          public void progress(SourceObject object, long rowsRead, long bytesRead) {
            told.add(new long[] {rowsRead, bytesRead});
          }
        };
    Path pipeline = fixture.pipeline(SCHEMALESS.formatted("true"));
    long before = DuckDbTableLoad.filesReadDirectly();
    try (Pipeline loads = Pipeline.open(new PipelineSpecReader().read(pipeline), listener)) {
      RunReport report = loads.run(List.of(), RunOptions.LOAD);
      assertThat(report.files().get(0).rowsLoaded()).isEqualTo(rows);
    }
    assertThat(DuckDbTableLoad.filesReadDirectly()).isEqualTo(before + 1);
    assertThat(told).isNotEmpty();
    assertThat(told.get(told.size() - 1)).containsExactly(rows, size);
    long last = 0;
    for (long[] progress : told.subList(0, told.size() - 1)) {
      assertThat(progress[0]).isEqualTo(-1);
      assertThat(progress[1]).isBetween(last, size);
      last = progress[1];
    }
  }

  @Test
  void aFileWhoseNameDuckDbWouldTakeForAPatternIsReadByBucketload() throws Exception {
    String pipeline = TYPED.formatted("format: {}", "false", "append", "%s", "0");
    byte[] content =
        "id,n,amount,d,ts,flag,s,t\n1,5,12.50,2024-01-31,2024-01-31 12:00:00,true,x,y\n"
            .getBytes(StandardCharsets.UTF_8);
    // A file the pattern would match as well: DuckDB would read both.
    String[] names = {"orders-?.csv", "orders-[1].csv", "orders-*.csv"};
    for (int i = 0; i < names.length; i++) {
      String name = names[i];
      LoadFixture fixture = new LoadFixture(Files.createDirectories(dir.resolve("pattern-" + i)));
      Files.write(fixture.landing.resolve(name), content);
      Files.write(fixture.landing.resolve("orders-1.csv"), content);
      long before = DuckDbTableLoad.filesReadDirectly();
      RunReport report = fixture.run(fixture.pipeline(pipeline.formatted("true")), name);
      assertThat(report.files()).hasSize(1);
      assertThat(report.files().get(0).rowsLoaded()).isEqualTo(1);
      assertThat(fixture.count("t")).isEqualTo(1);
      assertThat(DuckDbTableLoad.filesReadDirectly()).isEqualTo(before);
    }
  }

  @Test
  void blankLinesOfAFileOfOneColumnLoadAsBucketloadsReaderLoadsThem() throws Exception {
    String[] files = {"a\nx\n\ny\n", "a\nx\ny\n\n", "a\r\nx\r\n\r\n", "a\n\n\n", "a\nx\ny\n"};
    int read = 0;
    for (int i = 0; i < files.length; i++) {
      for (String mode : new String[] {"append", "replace"}) {
        String pipeline = SCHEMALESS.replace("mode: append", "mode: " + mode);
        if (bothWays(
            "one-column-" + i + "-" + mode,
            pipeline,
            "one.csv",
            files[i].getBytes(StandardCharsets.UTF_8))) {
          read++;
        }
      }
    }
    assertThat(read).as("the file without blank lines, read by DuckDB").isEqualTo(2);
  }

  @Test
  void bytesThatAreNotUtf8InAColumnNotLoadedFailTheFileEitherWay() throws Exception {
    String pipeline =
        """
        name: direct
        source: {path: landing, settle: 0s, match: "*.csv"}
        schema:
          columns:
            - {name: id, type: long}
            - {name: s, type: string}
        target: {path: test.duckdb, table: t, mode: append, direct_read: %s}
        """;
    java.io.ByteArrayOutputStream csv = new java.io.ByteArrayOutputStream();
    csv.writeBytes("id,s,extra\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 15_000; i++) {
      csv.writeBytes((i + ",a,b\n").getBytes(StandardCharsets.UTF_8));
    }
    csv.writeBytes(new byte[] {'2', ',', 'a', ',', (byte) 0xFF, '\n'});
    assertThat(bothWays("invalid-utf8-not-loaded", pipeline, "u.csv", csv.toByteArray())).isFalse();
  }

  @Test
  void recordsAroundTheLimitsLoadAsBucketloadsReaderLoadsThem() throws Exception {
    String pipeline =
        TYPED.formatted(
            "format: {max_field_chars: 30, max_record_chars: 90}", "false", "append", "%s", "1000");
    String start = "1,5,12.50,2024-01-31,2024-01-31 12:00:00,true,";
    java.util.SortedMap<String, byte[]> files = new java.util.TreeMap<>();
    for (int length = 80; length <= 100; length++) {
      for (String quote : new String[] {"", "\""}) {
        int pad = length - start.length() - 1 - 2 * quote.length();
        String s = "x".repeat(Math.min(28, pad / 2));
        String t = "y".repeat(pad - s.length()).replaceFirst("^y", quote.isEmpty() ? "y" : "\n");
        byte[] content =
            ("id,n,amount,d,ts,flag,s,t\n" + start + s + "," + quote + t + quote + "\n")
                .getBytes(StandardCharsets.UTF_8);
        files.put("r-" + length + "-" + quote.length() + ".csv", content);
      }
    }
    assertThat(bothWaysInOneRun("records", pipeline, files))
        .as("records DuckDB read")
        .isGreaterThan(5);
  }

  @Test
  void eachValueInAnotherFormAloneLoadsAsBucketloadsReaderLoadsIt() throws Exception {
    String pipeline = TYPED.formatted("format: {}", "false", "append", "%s", "1000");
    String[] plain = {"1", "5", "12.50", "2024-01-31", "2024-01-31 12:00:00", "true", "x", "y"};
    String[][] odd = {IDS, INTS, DECIMALS, DATES, TIMESTAMPS, BOOLEANS, TEXTS, TEXTS};
    java.util.SortedMap<String, byte[]> files = new java.util.TreeMap<>();
    for (int column = 0; column < odd.length; column++) {
      for (String value : odd[column]) {
        String[] row = plain.clone();
        row[column] = value;
        byte[] content =
            ("id,n,amount,d,ts,flag,s,t\n" + String.join(",", row) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        files.put("v-%03d.csv".formatted(files.size()), content);
      }
    }
    assertThat(files).hasSizeGreaterThan(60);
    // Those in the plain form, alone in their row (an empty text, a quoted one), DuckDB reads.
    assertThat(bothWaysInOneRun("values", pipeline, files)).isBetween(1L, files.size() - 1L);
  }

  private static final String KEYED =
      """
      name: direct
      source: {path: landing, settle: 0s, match: "*.csv"}
      schema:
        key: [id]
        columns:
          - {name: id, type: long, required: true}
          - {name: amount, type: "decimal(12,2)"}
          - {name: ts, type: timestamp}
          - {name: s, type: string}
      target: {path: test.duckdb, table: t, mode: %s, direct_read: %s}
      rejects: {max: 1000}
      """;

  /** Two files loaded one after the other, and the table after them, ordered by key. */
  private record KeyedOutcome(String first, String second, List<String> rows) {}

  private KeyedOutcome loadTwo(String name, String pipeline, byte[] first, byte[] second)
      throws IOException, SQLException {
    LoadFixture fixture = new LoadFixture(Files.createDirectories(dir.resolve(name)));
    Path file = fixture.pipeline(pipeline);
    String folder = fixture.dir.toString();
    List<String> outcomes = new ArrayList<>();
    int n = 0;
    for (byte[] content : List.of(first, second)) {
      Files.write(fixture.landing.resolve("k" + n++ + ".csv"), content);
      RunReport report = fixture.run(file);
      FileReport only = report.files().get(report.files().size() - 1);
      outcomes.add(
          only.outcome().toString().replace(folder, "<dir>")
              + " read "
              + only.rowsRead()
              + " loaded "
              + only.rowsLoaded()
              + " "
              + only.counts()
              + " "
              + only.warnings().stream().map(warning -> warning.replace(folder, "<dir>")).toList());
    }
    List<String> rows;
    try {
      rows = fixture.query("SELECT * FROM t ORDER BY id");
    } catch (SQLException e) {
      rows = List.of("no table");
    }
    return new KeyedOutcome(outcomes.get(0), outcomes.get(1), rows);
  }

  @Test
  void keyedModesLoadAsBucketloadsReaderLoadsThem() throws Exception {
    Random random = new Random(20261205L);
    int read = 0;
    for (String mode : List.of("upsert", "insert_new", "sync", "replace", "append")) {
      for (int i = 0; i < 4; i++) {
        // Keys repeat within a file and between the two: the last line of a key wins.
        boolean repeats = !mode.equals("append") || i % 2 == 0;
        byte[] first = keyed(random, repeats);
        byte[] second = keyed(random, repeats);
        if (i == 3) {
          // A value in another form: DuckDB's read gives way, and bucketload's reader loads it.
          second =
              new String(second, StandardCharsets.UTF_8)
                  .replaceFirst("\n(\\d+),[0-9.]+,", "\n$1,7.500,")
                  .getBytes(StandardCharsets.UTF_8);
        }
        String name = mode + "-" + i;
        String pipeline = KEYED.formatted(mode, "%s");
        KeyedOutcome bucketload =
            loadTwo(name + "-bucketload", pipeline.formatted("false"), first, second);
        long before = DuckDbTableLoad.filesReadDirectly();
        KeyedOutcome direct = loadTwo(name + "-direct", pipeline.formatted("true"), first, second);
        read += (int) (DuckDbTableLoad.filesReadDirectly() - before);
        assertThat(direct).as(name).isEqualTo(bucketload);
      }
    }
    // Each mode's fourth pair has a second file that DuckDB's reader gave way on.
    assertThat(read).as("files DuckDB read").isEqualTo(5 * (2 * 4 - 1));
  }

  /**
   * A file large enough for DuckDB to read in parts on several threads, whose keys repeat from its
   * first part to its last: the last record of each key wins, as the file orders them.
   */
  @Test
  void theLastRecordOfAKeyWinsInAFileDuckDbReadsInParts() throws Exception {
    int records = 2_000_000;
    int keys = 1000;
    LoadFixture fixture = new LoadFixture(Files.createDirectories(dir.resolve("parts")));
    try (Writer csv = Files.newBufferedWriter(fixture.landing.resolve("big.csv"))) {
      csv.write("id,amount,ts,s\n");
      for (int r = 0; r < records; r++) {
        // A quoted line break now and then, so that records and lines differ.
        csv.write(r % keys + "," + r + ",," + (r % 997 == 0 ? "\"a\nb\"\n" : "x\n"));
      }
    }
    Path pipeline = fixture.pipeline(KEYED.formatted("upsert", "true"));
    long before = DuckDbTableLoad.filesReadDirectly();
    RunReport report = fixture.run(pipeline);
    assertThat(DuckDbTableLoad.filesReadDirectly()).as("read by DuckDB").isEqualTo(before + 1);
    assertThat(report.files().get(0).rowsRead()).isEqualTo(records);
    assertThat(fixture.count("t")).isEqualTo(keys);
    // The last record of key k is records - keys + k.
    assertThat(fixture.query("SELECT count(*) FROM t WHERE amount <> id + " + (records - keys)))
        .containsExactly("0");
  }

  /**
   * A column named {@code rowid} hides DuckDB's pseudo-column by which the staged records are
   * ordered: the records are numbered instead, and the last of a key still wins.
   */
  @Test
  void aColumnNamedRowidDoesNotReorderTheRecordsOfAKey() throws Exception {
    for (String[] modeAndName : new String[][] {{"upsert", "RowId"}, {"sync", "rowid"}}) {
      String pipeline =
          """
          name: direct
          source: {path: landing, settle: 0s, match: "*.csv"}
          schema:
            key: [id]
            columns:
              - {name: id, type: long, required: true}
              - {name: %s, type: string}
          target: {path: test.duckdb, table: t, mode: %s, direct_read: %%s}
          """
              .formatted(modeAndName[1], modeAndName[0]);
      byte[] file =
          ("id," + modeAndName[1] + "\n1,z\n2,a\n1,a\n2,z\n").getBytes(StandardCharsets.UTF_8);
      String name = "rowid-" + modeAndName[0];
      KeyedOutcome bucketload =
          loadTwo(name + "-bucketload", pipeline.formatted("false"), file, file);
      long before = DuckDbTableLoad.filesReadDirectly();
      KeyedOutcome direct = loadTwo(name + "-direct", pipeline.formatted("true"), file, file);
      assertThat(DuckDbTableLoad.filesReadDirectly() - before).as("files DuckDB read").isEqualTo(2);
      assertThat(direct).as(name).isEqualTo(bucketload);
      assertThat(direct.rows()).as(name).containsExactly("1|a", "2|z");
    }
  }

  /** A plain keyed file; with {@code repeats}, keys from a small range, so that they repeat. */
  private static byte[] keyed(Random random, boolean repeats) {
    StringBuilder csv = new StringBuilder("id,amount,ts,s\n");
    int rows = 1 + random.nextInt(30);
    int base = random.nextInt(1000) * 100;
    for (int r = 0; r < rows; r++) {
      long id = repeats ? 1 + random.nextInt(12) : base + r;
      csv.append(id)
          .append(',')
          .append(random.nextInt(100000))
          .append('.')
          .append(random.nextInt(90) + 10)
          .append(",2024-0")
          .append(1 + random.nextInt(9))
          .append("-1")
          .append(random.nextInt(10))
          .append(" 12:0")
          .append(random.nextInt(10))
          .append(":00,")
          .append(random.nextBoolean() ? "\"v " + r + ", line " + r + "\"" : "")
          .append('\n');
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static final String[] IDS = {"", "x", "+7", "007", "9223372036854775808", "-1"};
  private static final String[] INTS = {
    "", "\"\"", "+3", "007", "2147483648", " 4", "4.0", "1e3", "-0"
  };
  private static final String[] DECIMALS = {
    "", "5.", ".5", "1.005", "12345678901.5", "1.500", "1e2", "+0.01", "-0", "99999999.99"
  };
  private static final String[] DATES = {
    "", "2024-02-30", "2023-02-29", "2024-1-2", "0999-01-01", "+10000-01-01", "2024-01-31T00:00"
  };
  private static final String[] TIMESTAMPS = {
    "",
    "2024-01-31T12:00:00.5",
    "2024-01-31 12:00:00.1234567",
    "2024-01-31 24:00:00",
    "2024-01-31 12:00",
    "2024-01-31 12:00:00Z",
    "2024-01-31 12:00:00+02:00",
    "2024-02-30 00:00:00",
    "2024-01-31 23:59:60"
  };
  private static final String[] BOOLEANS = {"", "TRUE", "yes", "0", "t", "maybe", "False"};
  private static final String[] TEXTS = {
    "",
    "\"\"",
    "\"a,b\"",
    "\"she said \"\"hi\"\"\"",
    "\"line1\nline2\"",
    "\"l1\nl2\nl3\"",
    "\"a\r\nb\"",
    "\"1,2,3,4,5,6,7\n1,2,3,4,5,6,7\n1,2,3,4,5,6,7\n1,2,3,4,5,6,7\"",
    "ünïcødé",
    "emoji 😀",
    "ab\"c",
    "\"0123456789abcdefghij\"",
    "nul\u0000inside",
    "\"tab\tinside\"",
    "\"\u2028separator\""
  };

  /** A typed file: every value plain, or with values in other forms, rejects and odd records. */
  private static byte[] generated(Random random, boolean plain) {
    String fileNewline = random.nextInt(3) == 0 ? "\r\n" : "\n";
    boolean mixed = !plain && random.nextInt(4) == 0;
    StringBuilder csv = new StringBuilder("id,n,amount,d,ts,flag,s,t").append(fileNewline);
    int rows = 1 + random.nextInt(25);
    for (int r = 0; r < rows; r++) {
      String newline = mixed && random.nextBoolean() ? "\r\n" : fileNewline;
      List<String> fields = new ArrayList<>();
      fields.add(pick(random, plain, String.valueOf(r + 1), IDS));
      fields.add(pick(random, plain, String.valueOf(random.nextInt(2000) - 1000), INTS));
      fields.add(
          pick(
              random,
              plain,
              (random.nextBoolean() ? "-" : "")
                  + random.nextInt(100000)
                  + (random.nextBoolean() ? "." + random.nextInt(100) : ""),
              DECIMALS));
      String date =
          "20"
              + (10 + random.nextInt(20))
              + "-0"
              + (1 + random.nextInt(9))
              + "-1"
              + random.nextInt(10);
      fields.add(pick(random, plain, random.nextInt(5) == 0 ? "" : date, DATES));
      fields.add(
          pick(
              random,
              plain,
              date
                  + (random.nextBoolean() ? " " : "T")
                  + "1"
                  + random.nextInt(10)
                  + ":3"
                  + random.nextInt(10)
                  + ":0"
                  + random.nextInt(10)
                  + (random.nextBoolean() ? "." + random.nextInt(1000) : ""),
              TIMESTAMPS));
      fields.add(pick(random, plain, random.nextBoolean() ? "true" : "false", BOOLEANS));
      fields.add(pick(random, plain, "text " + random.nextInt(100), TEXTS));
      fields.add(pick(random, plain, random.nextBoolean() ? "" : "\"q, " + r + "\"", TEXTS));
      if (!plain && random.nextInt(12) == 0) {
        fields.remove(fields.size() - 1);
      }
      if (!plain && random.nextInt(15) == 0) {
        csv.append(newline);
      }
      csv.append(String.join(",", fields));
      if (r < rows - 1 || random.nextInt(4) != 0) {
        csv.append(newline);
      }
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String pick(Random random, boolean plain, String usual, String[] odd) {
    return plain || random.nextInt(6) != 0 ? usual : odd[random.nextInt(odd.length)];
  }
}
