package io.bucketload.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.error.Fault;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.source.LocalFolderOutputs;
import io.bucketload.core.source.LocalFolderSource;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.FileClaimedException;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LedgerEntry;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineRunnerTest {
  private static final String PIPELINE =
      """
      name: people
      source: {path: landing, settle: 0s, failed: failed}
      schema:
        key: [id]
        columns:
          - {name: id, type: long, required: true}
          - {name: age, type: int}
      target: {table: people, mode: MODE}
      rejects: {max: 1}
      """;

  @TempDir Path dir;
  private final MemoryTarget target = new MemoryTarget();

  /** A pipeline from its YAML text, as if read from pipeline.yaml in the test's folder. */
  private PipelineSpec read(String yaml) {
    return new PipelineSpecReader().read(new StringReader(yaml), dir.resolve("pipeline.yaml"), dir);
  }

  private PipelineSpec spec(String mode, String extra) {
    return new PipelineSpecReader()
        .read(
            new StringReader(PIPELINE.replace("MODE", mode) + extra),
            dir.resolve("pipeline.yaml"),
            dir);
  }

  /** An append pipeline that allows {@code max} rejects. */
  private PipelineSpec appendWithRejects(int max) {
    return new PipelineSpecReader()
        .read(
            new StringReader(
                PIPELINE
                    .replace("MODE", "append")
                    .replace("rejects: {max: 1}", "rejects: {max: " + max + "}")),
            dir.resolve("pipeline.yaml"),
            dir);
  }

  /** An append pipeline whose {@code source} has {@code settings} instead of {@code settle: 0s}. */
  private PipelineSpec appendWithSource(String settings) {
    return new PipelineSpecReader()
        .read(
            new StringReader(PIPELINE.replace("MODE", "append").replace("settle: 0s", settings)),
            dir.resolve("pipeline.yaml"),
            dir);
  }

  private RunReport run(PipelineSpec spec, RunOptions options, String... files) throws IOException {
    return new PipelineRunner(
            spec,
            new LocalFolderSource(dir.resolve("landing"), spec.source().match()),
            new LocalFolderOutputs(dir.resolve("landing")),
            target,
            LoadListener.NONE,
            Clock.systemUTC())
        .run(List.of(files), options);
  }

  private RunReport run(String... files) throws IOException {
    return run(spec("append", ""), RunOptions.LOAD, files);
  }

  private void file(String name, String content) throws IOException {
    Path file = dir.resolve("landing").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static FileReport only(RunReport report) {
    assertThat(report.files()).hasSize(1);
    return report.files().get(0);
  }

  @Test
  void aFilterLeavesRowsOutAsFilteredAndAnExpressionAddsAColumn() throws IOException {
    file("a.csv", "id,age\n1,30\n2,12\n3,\n4,x\n5,67\n");
    PipelineSpec spec =
        spec(
            "append",
            """
            transform:
              - filter: "age >= 18"
              - add: {months: {expr: "age * 12"}, label: {expr: "'#' || id"}}
            """);

    RunReport report = run(spec, RunOptions.LOAD);

    FileReport file = only(report);
    assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    assertThat(file.rowsRead()).isEqualTo(5);
    assertThat(file.rowsRejected()).as("age x").isEqualTo(1);
    assertThat(file.stats().rowsFiltered()).as("12 and the empty age").isEqualTo(2);
    assertThat(file.rowsLoaded()).isEqualTo(2);
    assertThat(target.rows("people"))
        .extracting(row -> row[0] + ":" + row[2] + ":" + row[3])
        .containsExactly("1:360:#1", "5:804:#5");
  }

  @Test
  void aFilterOverAColumnThatIsNotThereNamesItsStep() throws IOException {
    file("a.csv", "id,age\n1,30\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                run(
                    spec("append", "transform:\n  - filter: \"country = 'US'\"\n"),
                    RunOptions.LOAD))
        .isInstanceOf(io.bucketload.core.error.ConfigException.class)
        .hasMessageContaining("pipeline.yaml line 11: transform[0].filter: no column 'country'")
        .hasMessageContaining("at this step")
        .hasMessageContaining("columns at this step: id, age");
  }

  @Test
  void loadsAFileOnceAndSkipsTheSameVersionAfterwards() throws IOException {
    file("a.csv", "id,age\n1,30\n2,40\n");

    FileReport first = only(run());
    FileReport second = only(run());

    assertThat(first.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(first.rowsLoaded()).isEqualTo(2);
    assertThat(second.outcome()).isInstanceOf(FileOutcome.Skipped.class);
    assertThat(second.note().orElseThrow()).startsWith("already loaded at");
    assertThat(target.rows("people")).hasSize(2);
    assertThat(target.entries()).extracting(LedgerEntry::status).containsExactly(FileStatus.LOADED);
  }

  @Test
  void aDataFailureIsFinalForThatVersionUntilRetriedOrThePipelineChanges() throws IOException {
    file("bad.csv", "id,age\nx,1\ny,2\n3,3\n");

    FileReport first = only(run());
    FileReport again = only(run());
    FileReport retried = only(run(spec("append", ""), new RunOptions(false, true, false)));
    FileReport changed = only(run(spec("append", "# a changed definition\n"), RunOptions.LOAD));

    assertThat(first.outcome()).isInstanceOf(FileOutcome.FailedOnData.class);
    assertThat(first.error().orElseThrow()).contains("2 of 3 rows rejected");
    assertThat(first.rowsRead()).isEqualTo(3);
    assertThat(first.warnings()).anyMatch(w -> w.contains("a copy of the file is at"));
    assertThat(dir.resolve("landing/failed/bad.csv")).exists();
    assertThat(again.outcome()).isInstanceOf(FileOutcome.FailedOnData.class);
    assertThat(((FileOutcome.FailedOnData) again.outcome()).earlier()).isPresent();
    assertThat(again.error().orElseThrow()).contains("failed before").contains("--retry-failed");
    assertThat(again.rowsRead()).as("not read again").isZero();
    assertThat(retried.rowsRead()).isEqualTo(3);
    assertThat(changed.rowsRead()).isEqualTo(3);
    assertThat(target.entries())
        .extracting(LedgerEntry::fault)
        .containsExactly(Optional.of(Fault.DATA), Optional.of(Fault.DATA), Optional.of(Fault.DATA));
    assertThat(target.rows("people")).isEmpty();
  }

  @Test
  void contentThatGoesBackToAnEarlierVersionLoadsAgainUnderReplace() throws IOException {
    PipelineSpec replace = spec("replace", "");
    file("stock.csv", "id,age\n1,10\n2,20\n");
    run(replace, RunOptions.LOAD);
    file("stock.csv", "id,age\n3,30\n");
    run(replace, RunOptions.LOAD);

    file("stock.csv", "id,age\n1,10\n2,20\n");
    FileReport back = only(run(replace, RunOptions.LOAD));
    FileReport same = only(run(replace, RunOptions.LOAD));

    assertThat(back.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(target.rows("people")).extracting(row -> row[0]).containsExactly(1L, 2L);
    assertThat(same.outcome())
        .as("A is now the latest load")
        .isInstanceOf(FileOutcome.Skipped.class);
  }

  @Test
  void rowHashOfAHeaderDefinedRowDoesNotDependOnTheOrderOfItsColumns() throws IOException {
    PipelineSpec hashed =
        read(
            """
            name: hashed
            source: {path: landing, settle: 0s}
            transform:
              - add: {h: row_hash()}
            target: {table: t, mode: append}
            """);
    file("f1.csv", "a,b\n\"x,y\",z\n");
    file("f2.csv", "b,a\nz,\"x,y\"\n");
    file("f3.csv", "a,b\nz,\"x,y\"\n");

    run(hashed, RunOptions.LOAD);

    List<Object> hashes = target.rows("t").stream().map(row -> row[row.length - 1]).toList();
    assertThat(hashes).hasSize(3);
    assertThat(hashes.get(0)).as("same values in the same columns").isEqualTo(hashes.get(1));
    assertThat(hashes.get(2)).as("the values swapped between columns").isNotEqualTo(hashes.get(0));
  }

  @Test
  void aFileRemovedAfterTheListingIsNotAFailureAndTheOthersLoad() throws IOException {
    file("a.csv", "id,age\n1,30\n");
    file("b.csv", "id,age\n2,40\n");
    LoadListener remover =
        new LoadListener() {
          @Override
          public void fileStarted(io.bucketload.core.source.SourceObject object) {
            if (object.key().equals("a.csv")) {
              try {
                Files.delete(dir.resolve("landing/a.csv"));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }
        };
    PipelineSpec spec = spec("append", "");

    RunReport report =
        new PipelineRunner(
                spec,
                new LocalFolderSource(dir.resolve("landing"), spec.source().match()),
                new LocalFolderOutputs(dir.resolve("landing")),
                target,
                remover,
                Clock.systemUTC())
            .run(List.of(), RunOptions.LOAD);

    assertThat(report.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.WAITING, FileStatus.LOADED);
    assertThat(report.files().get(0).note())
        .hasValue("not loaded: a.csv was removed from the source after it was listed");
    assertThat(report.worstFault()).isEmpty();
    assertThat(target.ledger().history(spec.name(), 10))
        .extracting(e -> e.file().key())
        .containsExactly("b.csv");
  }

  @Test
  void aFileThatGrowsWhileItLoadsIsNotLoadedAndLoadsOnceItStops() throws IOException {
    StringBuilder csv = new StringBuilder("id,age\n");
    for (int i = 1; i <= 200_000; i++) {
      csv.append(i).append(',').append(i % 90).append('\n');
    }
    file("growing.csv", csv.toString());
    Path growing = dir.resolve("landing/growing.csv");
    long identified = Files.size(growing);
    boolean[] appended = {false};
    LoadListener writer =
        atFirstProgress(
            appended,
            () -> {
              Files.writeString(growing, "200001,1\n", java.nio.file.StandardOpenOption.APPEND);
            });
    PipelineSpec spec = spec("append", "");

    RunReport during = runTold(spec, writer);

    assertThat(appended[0]).isTrue();
    assertThat(only(during).outcome()).isInstanceOf(FileOutcome.FailedOnSystem.class);
    assertThat(only(during).error().orElseThrow())
        .isEqualTo(
            "growing.csv: the file changed while it was read ("
                + identified
                + " bytes when identified, "
                + (identified + 9)
                + " read); nothing was loaded, and it loads when it stops changing");
    assertThat(target.rows("people")).isEmpty();
    assertThat(only(run()).rowsLoaded()).isEqualTo(200_001);
  }

  @Test
  void aFileReplacedByARenameWhileItLoadsIsNotLoadedAndItsReplacementLoadsOnce()
      throws IOException {
    // Two versions of one size: the rows of the second must not be recorded as the first.
    file("swapped.csv", ages(200_000, 1));
    Path swapped = dir.resolve("landing/swapped.csv");
    Path replacement = dir.resolve("landing/.swapped.csv.tmp");
    Files.writeString(replacement, ages(200_000, 2));
    assertThat(Files.size(replacement)).isEqualTo(Files.size(swapped));
    boolean[] moved = {false};
    LoadListener mover =
        atFirstProgress(
            moved,
            () -> {
              Files.move(
                  replacement,
                  swapped,
                  java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                  java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            });
    PipelineSpec spec = spec("append", "");

    RunReport during = runTold(spec, mover);

    assertThat(moved[0]).isTrue();
    assertThat(only(during).outcome()).isInstanceOf(FileOutcome.FailedOnSystem.class);
    assertThat(only(during).error().orElseThrow())
        .isEqualTo(
            "swapped.csv: the file was replaced or rewritten while it loaded (another file now"
                + " has its name); nothing was loaded, and it loads when it stops changing");
    assertThat(target.rows("people")).isEmpty();
    // The next run loads the file now under the name, once: every age is the second version's.
    assertThat(only(run()).rowsLoaded()).isEqualTo(200_000);
    assertThat(target.rows("people"))
        .hasSize(200_000)
        .allSatisfy(row -> assertThat(row[1]).isEqualTo(2));
    assertThat(only(run()).status()).isEqualTo(FileStatus.SKIPPED);
  }

  @Test
  void aFileRewrittenInPlaceAtTheSameSizeWhileItLoadsIsNotLoaded() throws IOException {
    file("rewritten.csv", ages(200_000, 1));
    Path rewritten = dir.resolve("landing/rewritten.csv");
    Files.setLastModifiedTime(
        rewritten, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));
    boolean[] written = {false};
    LoadListener writer =
        atFirstProgress(
            written,
            () -> {
              try (java.nio.channels.FileChannel channel =
                  java.nio.channels.FileChannel.open(
                      rewritten, java.nio.file.StandardOpenOption.WRITE)) {
                // The last row's age, 1 made 3: the same size, other content.
                channel.write(java.nio.ByteBuffer.wrap(new byte[] {'3'}), channel.size() - 2);
              }
            });
    PipelineSpec spec = spec("append", "");

    RunReport during = runTold(spec, writer);

    assertThat(written[0]).isTrue();
    assertThat(only(during).outcome()).isInstanceOf(FileOutcome.FailedOnSystem.class);
    assertThat(only(during).error().orElseThrow())
        .startsWith(
            "rewritten.csv: the file was replaced or rewritten while it loaded (modified at ");
    assertThat(target.rows("people")).isEmpty();
    assertThat(only(run()).rowsLoaded()).isEqualTo(200_000);
  }

  /** A change to a file, made while a load reads it. */
  private interface FileChange {
    void make() throws IOException;
  }

  /**
   * A listener that makes {@code change} at the first progress of a load, and marks {@code done}.
   */
  private static LoadListener atFirstProgress(boolean[] done, FileChange change) {
    return new LoadListener() {
      @Override
      public void progress(
          io.bucketload.core.source.SourceObject object, long rowsRead, long bytesRead) {
        if (!done[0]) {
          done[0] = true;
          try {
            change.make();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    };
  }

  /** A run of {@code spec} over the landing folder whose progress {@code listener} is told. */
  private RunReport runTold(PipelineSpec spec, LoadListener listener) throws IOException {
    return new PipelineRunner(
            spec,
            new LocalFolderSource(dir.resolve("landing"), spec.source().match()),
            new LocalFolderOutputs(dir.resolve("landing")),
            target,
            listener,
            Clock.systemUTC())
        .run(List.of(), RunOptions.LOAD);
  }

  /** {@code rows} rows of ids from 1 and the one {@code age}: one size for each digit of age. */
  private static String ages(int rows, int age) {
    StringBuilder csv = new StringBuilder("id,age\n");
    for (int i = 1; i <= rows; i++) {
      csv.append(i).append(',').append(age).append('\n');
    }
    return csv.toString();
  }

  @Test
  void aRowWiderThanAOneColumnHeaderHoldingASemicolonIsRejectedWithAHintAtTheDelimiter()
      throws IOException {
    // A file separated by ';' with decimal commas, read with the default ','.
    file("semi.csv", "id;price\n1;2,5\n2;3\n");
    PipelineSpec spec =
        read(
            "name: semi\nsource: {path: landing, settle: 0s}\ntarget: {table: t}\nrejects: {max: 1}\n");

    FileReport report = only(run(spec, RunOptions.LOAD, "semi.csv"));

    assertThat(report.rowsRejected()).isEqualTo(1);
    assertThat(Files.readString(Path.of(report.stats().rejectsPath().orElseThrow())))
        .contains(
            "expected 1 fields, found 2. The header is one column holding ';': if the file is"
                + " separated by ';', set format: {delimiter: \"\";\"\"}");
  }

  @Test
  void anExpressionThatCannotBeComputedRejectsItsRowNamingItsColumn() throws IOException {
    file("e.csv", "id,age\n1,30\n2,40\n");
    PipelineSpec spec =
        spec(
            "append",
            "transform:\n  - add: {big: {expr: \"id * 9000000000000000000\"}, small: {expr: \"age + 1\"},"
                + " bigger: {expr: \"id * 9100000000000000000\"}}\n");

    FileReport report = only(run(spec, RunOptions.LOAD, "e.csv"));

    assertThat(report.rowsLoaded()).isEqualTo(1);
    // Every expression of the row that fails is told.
    assertThat(Files.readString(Path.of(report.stats().rejectsPath().orElseThrow())))
        .contains("3,big,,the expression failed: long overflow")
        .contains("3,bigger,,the expression failed: long overflow");
  }

  @Test
  void aRowWithBadValuesAndNoKeyIsRejectedForBoth() throws IOException {
    PipelineSpec renamed =
        read(
            """
            name: renamed
            source: {path: landing, settle: 0s}
            schema:
              key: [id]
              columns: [{name: Order ID, type: long}, {name: amt, type: int}]
            transform:
              - rename: {Order ID: id}
            target: {table: t, mode: upsert}
            rejects: {max: 5}
            """);
    file("k.csv", "Order ID,amt\n1,2\n,x\n");

    FileReport report = only(run(renamed, RunOptions.LOAD, "k.csv"));

    assertThat(report.rowsLoaded()).isEqualTo(1);
    assertThat(Files.readString(Path.of(report.stats().rejectsPath().orElseThrow())))
        .contains("3,amt,x,not an int,,x")
        .contains("3,id,,key value is missing,,x");
  }

  @Test
  void aRepeatedDataFailureDoesNotPointAtARejectsFileThatIsGone() throws IOException {
    file("bad.csv", "id,age\nx,1\ny,2\n3,3\n");
    FileReport first = only(run());
    String rejects = first.stats().rejectsPath().orElseThrow();
    FileReport present = only(run());
    Files.delete(Path.of(rejects));

    FileReport gone = only(run());

    assertThat(present.error().orElseThrow()).contains("(rejects: " + rejects + ")");
    assertThat(gone.error().orElseThrow())
        .doesNotContain(rejects)
        .contains("nothing was loaded (its rejects file has since been replaced or removed)")
        .contains("[failed before at ");
  }

  @Test
  void aFileNamedTwiceLoadsOnceEvenForced() throws IOException {
    file("a.csv", "id,age\n1,30\n");
    String absolute = dir.resolve("landing/a.csv").toString();

    RunReport report =
        run(spec("append", ""), new RunOptions(false, false, true), "a.csv", absolute, "a.csv");

    assertThat(report.files()).hasSize(1);
    assertThat(target.rows("people")).hasSize(1);
  }

  @Test
  void aNamedFileInAFolderBucketloadWritesIsRefusedSayingSo() throws IOException {
    file("rejected/a.rejects.csv", "line,column,value,reason,id,age\n2,age,x,not an int,1,x\n");

    FileReport report = only(run(spec("append", ""), RunOptions.LOAD, "rejected/a.rejects.csv"));

    assertThat(report.outcome()).isInstanceOf(FileOutcome.Refused.class);
    assertThat(report.error().orElseThrow())
        .isEqualTo(
            "rejected/a.rejects.csv: a file bucketload wrote (an export, rejects or failed-files"
                + " folder of this pipeline); such files are never loaded");
    assertThat(target.rows("people")).isEmpty();
  }

  @Test
  void forcingOneFileOfASetLoadsThatFileOnly() throws IOException {
    PipelineSpec sets =
        read(
            """
            name: sets
            source: {path: landing, settle: 0s}
            inputs:
              - {name: orders, match: "orders_*.csv"}
              - {name: shipments, match: "shipments_*.csv"}
            target: {mode: append}
            """);
    file("orders_d1.csv", "order_id\n1\n");
    file("shipments_d1.csv", "order_id\n1\n");
    run(sets, RunOptions.LOAD);

    RunReport forced = run(sets, new RunOptions(false, false, true), "orders_d1.csv");

    assertThat(target.rows("orders")).hasSize(2);
    assertThat(target.rows("shipments")).hasSize(1);
    assertThat(forced.files())
        .extracting(FileReport::file, report -> report.outcome().getClass().getSimpleName())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("orders_d1.csv", "Loaded"),
            org.assertj.core.groups.Tuple.tuple("shipments_d1.csv", "Skipped"));
  }

  @Test
  void aForcedRunLoadsTheLatestVersionAgainAndSaysSo() throws IOException {
    file("a.csv", "id,age\n1,30\n");
    run();

    FileReport forced = only(run(spec("append", ""), new RunOptions(false, false, true), "a.csv"));

    assertThat(forced.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(forced.warnings())
        .anyMatch(w -> w.startsWith("forced: this version was already the file's latest load"));
    assertThat(target.rows("people")).hasSize(2);
    assertThat(only(run()).outcome()).isInstanceOf(FileOutcome.Skipped.class);
  }

  @Test
  void aForcedRunTriesAgainAVersionThatFailedOnItsData() throws IOException {
    file("bad.csv", "id,age\nx,1\ny,2\n");
    run();

    FileReport forced =
        only(run(spec("append", ""), new RunOptions(false, false, true), "bad.csv"));

    assertThat(forced.rowsRead()).isEqualTo(2);
    assertThat(forced.error().orElseThrow()).doesNotContain("failed before");
  }

  @Test
  void twoRunsThatLoadTheSameVersionAtOnceLoadItOnceAndTheLoserSaysSo() throws IOException {
    file("a.csv", "id,age\n1,30\n");
    PipelineSpec append = spec("append", "");
    // The second run looks the file up before the first commits: a write of the first run's rows
    // starts the second run, whose commit then comes first.
    RunReport[] inner = new RunReport[1];
    target.onFirstWrite(
        () -> {
          try {
            inner[0] = run(append, RunOptions.LOAD);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });

    FileReport outer = only(run(append, RunOptions.LOAD));

    assertThat(only(inner[0]).outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(outer.outcome()).isInstanceOf(FileOutcome.Skipped.class);
    assertThat(outer.warnings()).anyMatch(w -> w.contains("loaded it at the same time"));
    assertThat(target.rows("people")).hasSize(1);
  }

  @Test
  void aFileStillBeingWrittenWaitsAndLoadsWholeOnceItSettled() throws Exception {
    PipelineSpec settling = appendWithSource("settle: 300ms");
    file("growing.csv", "id,age\n");
    Path growing = dir.resolve("landing/growing.csv");
    java.util.concurrent.atomic.AtomicBoolean copying =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger rows =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread copy =
        new Thread(
            () -> {
              while (copying.get()) {
                int id = rows.incrementAndGet();
                try {
                  Files.writeString(growing, id + ",1\n", java.nio.file.StandardOpenOption.APPEND);
                  Files.setLastModifiedTime(
                      growing, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
                } catch (IOException e) {
                  return;
                }
              }
            });
    copy.start();
    FileReport during;
    try {
      during = only(run(settling, RunOptions.LOAD));
    } finally {
      copying.set(false);
      copy.join(10_000);
    }
    FileReport after = only(run(settling, RunOptions.LOAD));

    assertThat(during.outcome()).isInstanceOf(FileOutcome.Waiting.class);
    assertThat(during.note().orElseThrow()).contains("still being written").contains("300ms");
    assertThat(after.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(target.rows("people")).hasSize(rows.get());
  }

  @Test
  void aFileWithAReadyMarkerPatternWaitsForItsMarkerWhichIsNeverLoaded() throws IOException {
    PipelineSpec marked = appendWithSource("match: \"*\", ready: \"{name}.done\"");
    file("a.csv", "id,age\n1,30\n");

    FileReport before = only(run(marked, RunOptions.LOAD));
    file("a.csv.done", "");
    FileReport after = only(run(marked, RunOptions.LOAD));

    assertThat(before.outcome()).isInstanceOf(FileOutcome.Waiting.class);
    assertThat(before.note().orElseThrow())
        .isEqualTo(
            "waiting for its ready marker a.csv.done (source.ready); it loads once the marker is"
                + " there");
    assertThat(after.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(after.file()).isEqualTo("a.csv");
  }

  @Test
  void waitingFilesAreReportedInTheOrderFilesLoad() throws IOException {
    PipelineSpec marked = appendWithSource("match: \"*.csv\", ready: \"{name}.done\"");
    file("a.csv", "id,age\n1,30\n");
    file("a.csv.done", "");
    file("b.csv", "id,age\n2,30\n");
    file("c.csv", "id,age\n3,30\n");
    file("c.csv.done", "");

    RunReport report = run(marked, RunOptions.LOAD);

    assertThat(report.files())
        .extracting(FileReport::file, r -> r.outcome().getClass().getSimpleName())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a.csv", "Loaded"),
            org.assertj.core.groups.Tuple.tuple("b.csv", "Waiting"),
            org.assertj.core.groups.Tuple.tuple("c.csv", "Loaded"));
  }

  @Test
  void aFolderMarkerReleasesEveryFileOfItsFolder() throws IOException {
    PipelineSpec marked = appendWithSource("match: \"**.csv\", ready: _SUCCESS");
    file("day1/a.csv", "id,age\n1,30\n");
    file("day1/_SUCCESS", "");
    file("day2/b.csv", "id,age\n2,30\n");

    RunReport report = run(marked, RunOptions.LOAD);

    assertThat(report.files())
        .extracting(FileReport::file, FileReport::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("day1/a.csv", FileStatus.LOADED),
            org.assertj.core.groups.Tuple.tuple("day2/b.csv", FileStatus.WAITING));
  }

  @Test
  void aBareQuoteAndAStrayQuoteRejectTheirRecordsAndTheOthersLoad() throws IOException {
    file("quotes.csv", "id,age\n1,3\"0\n2,\"40\"x\n3,50\n");

    FileReport report = only(run(appendWithRejects(2), RunOptions.LOAD));

    assertThat(report.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(report.rowsRead()).isEqualTo(3);
    assertThat(report.rowsRejected()).isEqualTo(2);
    assertThat(target.rows("people")).extracting(row -> row[0]).containsExactly(3L);
    assertThat(dir.resolve("landing/rejected/quotes.rejects.csv"))
        .content()
        .contains("2,age,\"3\"\"0\",a quote inside an unquoted field")
        .contains("3,age,")
        .contains("characters after a closing quote");
  }

  @Test
  void aRejectsFileThatCannotBeWrittenIsASystemFailureSayingWhy() throws IOException {
    file("rejected", "a file where the rejects folder would be");
    file("people.csv", "id,age\n1,10\n2,old\n");

    FileReport report = only(run(spec("append", ""), RunOptions.LOAD, "people.csv"));

    assertThat(report.outcome()).isInstanceOf(FileOutcome.FailedOnSystem.class);
    assertThat(report.error().orElseThrow())
        .isEqualTo(
            "people.csv: cannot write the rejects file: "
                + dir.resolve("landing/rejected")
                + ": a file of that name is in the way");
  }

  @Test
  void invisibleCharactersInHeaderNamesAreShownAndNamed() throws IOException {
    file("doubled.csv", "\ufeff\ufeffid,age\n1,10\n");
    file("spaced.csv", "id,age,no\u200bte,city\u00a0\n1,10,x,y\n");

    FileReport doubled = only(run(spec("append", ""), RunOptions.LOAD, "doubled.csv"));
    FileReport spaced = only(run(spec("append", ""), RunOptions.LOAD, "spaced.csv"));

    assertThat(doubled.outcome()).isInstanceOf(FileOutcome.FailedOnData.class);
    assertThat(doubled.error().orElseThrow())
        .isEqualTo(
            "doubled.csv: missing column 'id' (schema.key); the header has"
                + " '\\uFEFFid' (with U+FEFF (a byte order mark inside the text), an invisible"
                + " character; names must match exactly); header columns: \\uFEFFid, age");
    assertThat(spaced.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(spaced.warnings())
        .contains(
            "header name(s) with an invisible character, kept as part of the name:"
                + " 'no\\u200Bte' (U+200B ZERO WIDTH SPACE), 'city\\u00A0' (U+00A0 NO-BREAK"
                + " SPACE); remove it from the file, or rename the column (transform: [{rename:"
                + " {...}}])");
  }

  @Test
  void aFileWithNothingAfterTheSkippedLinesSaysSo() throws IOException {
    file("short.csv", "Export of 2024-01-02");
    file("exact.csv", "Export\nof\n2024-01-02\n\n");
    file("empty.csv", "");
    PipelineSpec spec = spec("append", "format: {skip_lines: 3}\n");

    assertThat(only(run(spec, RunOptions.LOAD, "short.csv")).warnings())
        .containsExactly(
            "the file has only 1 line(s), all skipped by format.skip_lines (3): no header and no"
                + " rows");
    assertThat(only(run(spec, RunOptions.LOAD, "exact.csv")).warnings())
        .containsExactly(
            "the file has no header and no rows after the 3 line(s) format.skip_lines skips");
    assertThat(only(run(spec, RunOptions.LOAD, "empty.csv")).warnings())
        .containsExactly("the file is empty: no header and no rows");
  }

  @Test
  void anEmptyFileLoadsNothingInAppendAndIsRefusedWhereItWouldEmptyTheTable() throws IOException {
    file("stock.csv", "id,age\n1,10\n");
    run(spec("replace", ""), RunOptions.LOAD);
    file("empty.csv", "");
    file("stock.csv", "id,age\n");

    FileReport appended = only(run(spec("append", ""), RunOptions.LOAD, "empty.csv"));
    FileReport replaced = only(run(spec("replace", ""), RunOptions.LOAD, "stock.csv"));

    assertThat(appended.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(appended.rowsLoaded()).isZero();
    assertThat(appended.warnings()).contains("the file is empty: no header and no rows");
    assertThat(replaced.outcome()).isInstanceOf(FileOutcome.FailedOnData.class);
    assertThat(replaced.error().orElseThrow())
        .isEqualTo(
            "stock.csv: no rows to load (the file has none); mode replace would empty table people."
                + " Refused: set target.allow_empty: true when an empty file means an empty table");
    assertThat(target.rows("people")).hasSize(1);

    FileReport allowed =
        only(
            run(
                new PipelineSpecReader()
                    .read(
                        new StringReader(
                            PIPELINE
                                .replace("MODE", "replace")
                                .replace("mode: replace}", "mode: replace, allow_empty: true}")),
                        dir.resolve("pipeline.yaml"),
                        dir),
                RunOptions.LOAD,
                "stock.csv"));
    assertThat(allowed.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(allowed.warnings())
        .contains(
            "the file has no rows to load; mode replace emptied table people (target.allow_empty: true)");
    assertThat(target.rows("people")).isEmpty();
  }

  @Test
  void aNewVersionOfAFileThatFailedIsTriedAtOnce() throws IOException {
    file("bad.csv", "id,age\nx,1\ny,2\n");
    assertThat(only(run()).status()).isEqualTo(FileStatus.FAILED);

    file("bad.csv", "id,age\n1,1\n2,2\n");
    FileReport fixed = only(run());

    assertThat(fixed.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(target.rows("people")).hasSize(2);
  }

  @Test
  void aSystemFailureIsNotFinalAndTheNextRunLoadsTheFile() throws IOException {
    file("a.csv", "id,age\n1,30\n");
    target.failWrites(
        Optional.of(() -> TargetException.system("the database went away", null, true)));

    FileReport failed = only(run());
    target.failWrites(Optional.empty());
    FileReport loaded = only(run());

    assertThat(failed.outcome()).isInstanceOf(FileOutcome.FailedOnSystem.class);
    assertThat(failed.outcome().isFinal()).isFalse();
    assertThat(failed.error().orElseThrow()).contains("the database went away");
    assertThat(loaded.outcome()).isInstanceOf(FileOutcome.Loaded.class);
    assertThat(target.entries())
        .extracting(LedgerEntry::status, LedgerEntry::fault)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(FileStatus.FAILED, Optional.of(Fault.SYSTEM)),
            org.assertj.core.groups.Tuple.tuple(FileStatus.LOADED, Optional.empty()));
  }

  @Test
  void aFileAnotherWorkerHoldsIsWaitingAndNotRecorded() throws IOException {
    file("a.csv", "id,age\n1,30\n");
    target.failBegin(Optional.of(() -> new FileClaimedException("a.csv: claimed by worker-b")));

    FileReport waiting = only(run());

    assertThat(waiting.outcome()).isEqualTo(new FileOutcome.Waiting("a.csv: claimed by worker-b"));
    assertThat(waiting.outcome().isFinal()).isFalse();
    assertThat(target.entries()).isEmpty();
  }

  @Test
  void aDryRunReadsEverythingAndRecordsNothing() throws IOException {
    file("a.csv", "id,age\n1,30\nx,2\n");

    FileReport valid = only(run(spec("append", ""), RunOptions.DRY_RUN));

    assertThat(valid.outcome()).isEqualTo(new FileOutcome.Valid(1));
    assertThat(valid.rowsRejected()).isOne();
    assertThat(valid.rejectsPath().orElseThrow()).endsWith("rejected/a.rejects.csv");
    assertThat(target.transactions()).isZero();
    assertThat(target.entries()).isEmpty();
  }

  @Test
  void aDryRunOfALargeFileReportsTheChecksumTakenBesideItsReading() throws Exception {
    StringBuilder csv = new StringBuilder("id,age\n");
    for (int i = 0; csv.length() <= UnitLoad.CHECKSUM_ALONGSIDE_FROM_BYTES; i++) {
      csv.append(i).append(',').append(i % 90).append('\n');
    }
    file("large.csv", csv.toString());

    FileReport valid = only(run(spec("append", ""), RunOptions.DRY_RUN));

    byte[] digest =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(csv.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(valid.outcome()).isInstanceOf(FileOutcome.Valid.class);
    assertThat(valid.version()).hasValue("sha256:" + java.util.HexFormat.of().formatHex(digest));
    assertThat(target.entries()).isEmpty();
  }

  @Test
  void windowsTextReadAsLatin1IsLoadedWithAWarningNamingItsFirstLine() throws IOException {
    PipelineSpec spec =
        new PipelineSpecReader()
            .read(
                new StringReader(
                    "name: notes\nsource: {path: landing, settle: 0s}\n"
                        + "format: {encoding: ISO-8859-1}\ntarget: {table: notes}\n"),
                dir.resolve("pipeline.yaml"),
                dir);
    Path landing = Files.createDirectories(dir.resolve("landing"));
    // "café" in ISO-8859-1, then a line with windows-1252's curly quotes (0x93, 0x94).
    Files.write(landing.resolve("latin1.csv"), bytes("id,note\n1,caf\u00e9\n"));
    Files.write(
        landing.resolve("windows.csv"),
        bytes("id,note\n1,caf\u00e9\n2,\u0093quoted\u0094\n3,\u0093again\u0094\n"));

    RunReport report = run(spec, RunOptions.LOAD);

    assertThat(report.files()).extracting(FileReport::status).containsOnly(FileStatus.LOADED);
    assertThat(report.files().get(0).warnings()).isEmpty();
    assertThat(report.files().get(1).warnings())
        .containsExactly(
            "line 3 holds control characters (U+0080 to U+009F), which ISO-8859-1 text does not"
                + " use: a file written as windows-1252 reads this way (its euro signs, curly"
                + " quotes and dashes); if so, set format.encoding: windows-1252 and load it"
                + " again");
  }

  /** The text's characters as bytes of ISO-8859-1. */
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void aNamedFileThatDoesNotExistIsRefusedByConfiguration() throws IOException {
    Files.createDirectories(dir.resolve("landing"));

    FileReport missing = only(run("nope.csv"));

    assertThat(missing.outcome())
        .isEqualTo(
            new FileOutcome.Refused(
                "nope.csv: no such file, nor key under "
                    + dir.resolve("landing").toAbsolutePath()));
    assertThat(missing.fault()).hasValue(Fault.CONFIG);
  }

  @Test
  void rejectsAndFailedCopiesGoUnderSourceOutputWhenItIsSet() throws IOException {
    file("day1/a.csv", "id,age\n1,30\nx,2\n");
    file("day1/b.csv", "id,age\nx,1\ny,2\n");
    PipelineSpec spec =
        new PipelineSpecReader()
            .read(
                new StringReader(
                    PIPELINE
                        .replace("MODE", "append")
                        .replace(
                            "{path: landing, settle: 0s, failed: failed}",
                            "{path: landing, settle: 0s, match: \"**.csv\", failed: failed, output: out}")),
                dir.resolve("pipeline.yaml"),
                dir);

    RunReport report;
    try (Pipeline pipeline =
        Pipeline.withTarget(spec, target, LoadListener.NONE, Clock.systemUTC())) {
      report = pipeline.run(List.of(), RunOptions.LOAD);
    }

    assertThat(report.files())
        .extracting(FileReport::status)
        .containsExactly(FileStatus.LOADED, FileStatus.FAILED);
    assertThat(dir.resolve("out/day1/rejected/a.rejects.csv")).exists();
    assertThat(dir.resolve("out/day1/failed/b.csv")).hasContent("id,age\nx,1\ny,2\n");
    assertThat(dir.resolve("landing/day1/rejected")).doesNotExist();
  }

  @Test
  void aPatternThatMatchesNothingSaysWhatIsThereAndNamesACaseMismatch() throws IOException {
    file("ORDERS.CSV", "id,age\n1,2\n");
    file("notes.txt", "x");
    PipelineSpec spec =
        new PipelineSpecReader()
            .read(
                new StringReader(
                    PIPELINE
                        .replace("MODE", "append")
                        .replace("failed: failed}", "failed: failed, match: \"*.csv\"}")),
                dir.resolve("pipeline.yaml"),
                dir);

    RunReport report = run(spec, RunOptions.LOAD);

    assertThat(report.files()).isEmpty();
    assertThat(report.notes())
        .containsExactly(
            "no file matches '*.csv'; files there: ORDERS.CSV, notes.txt. ORDERS.CSV matches but"
                + " for upper and lower case: match patterns are case-sensitive");
  }

  @Test
  void anEmptyFolderSaysSo() throws IOException {
    Files.createDirectories(dir.resolve("landing"));

    RunReport report = run();

    assertThat(report.notes()).hasSize(1);
    assertThat(report.notes().get(0))
        .startsWith("no file matches '*.{csv,csv.gz}'; there is no file under ");
  }

  /** An append pipeline whose source folder is {@code ${LANDING}}, set to {@code landing}. */
  private PipelineSpec appendFromEnvironment(Path landing) {
    return new PipelineSpecReader(
            java.util.Map.of("LANDING", landing.toAbsolutePath().toString())::get)
        .read(
            new StringReader(
                PIPELINE
                    .replace("MODE", "append")
                    .replace("path: landing", "path: \"${LANDING}\"")),
            dir.resolve("pipeline.yaml"),
            dir);
  }

  @Test
  void theNoteOfAnEmptyFolderMasksTheValuesFromTheEnvironment() throws IOException {
    Files.createDirectories(dir.resolve("landing"));
    PipelineSpec spec = appendFromEnvironment(dir.resolve("landing"));

    RunReport report = run(spec, RunOptions.LOAD);

    assertThat(report.notes())
        .containsExactly(
            "no file matches '*.{csv,csv.gz}'; there is no file under **** (*.{csv,csv.gz})");
  }

  @Test
  void aSourceThatCannotBeListedIsReportedWithTheValuesFromTheEnvironmentMasked()
      throws IOException {
    Path landing = Files.createDirectories(dir.resolve("private-landing"));
    PipelineSpec spec = appendFromEnvironment(landing);
    try (Pipeline pipeline =
        Pipeline.withTarget(spec, target, LoadListener.NONE, Clock.systemUTC())) {
      Files.delete(landing);

      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> pipeline.run(List.of(), RunOptions.LOAD))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("****")
          .hasMessageNotContaining("private-landing");
    }
  }

  @Test
  void upsertKeepsTheLastRowOfEachKeyAcrossFiles() throws IOException {
    file("a.csv", "id,age\n1,30\n2,40\n");
    file("b.csv", "id,age\n2,41\n3,50\n");

    RunReport report = run(spec("upsert", ""), RunOptions.LOAD);

    assertThat(report.count(FileStatus.LOADED)).isEqualTo(2);
    assertThat(ages()).containsExactlyInAnyOrder("1=30", "2=41", "3=50");
  }

  @Test
  void syncFailsAFileWithARejectedRowRatherThanDeleteTheRowOfItsKey() throws IOException {
    file("a.csv", "id,age\n1,30\n2,40\n3,50\n");
    assertThat(run(spec("sync", ""), RunOptions.LOAD).count(FileStatus.LOADED)).isEqualTo(1);
    Files.delete(dir.resolve("landing/a.csv"));
    file("b.csv", "id,age\n1,31\n2,forty\n3,50\n");

    RunReport report = run(spec("sync", ""), RunOptions.LOAD);

    FileReport file = only(report);
    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error().orElseThrow())
        .startsWith(
            "b.csv: 1 row rejected (first at line 3); mode sync would delete the rows of their"
                + " keys from table people, though the keys are in the file. Nothing was loaded")
        .endsWith("or load with mode upsert, which deletes nothing");
    assertThat(ages()).containsExactlyInAnyOrder("1=30", "2=40", "3=50");
  }

  @Test
  void aFilterThatDropsEveryRowIsNotCalledRejection() throws IOException {
    file("a.csv", "id,age\n1,12\n2,13\n");

    RunReport report =
        run(spec("replace", "transform:\n  - filter: \"age >= 18\"\n"), RunOptions.LOAD);

    assertThat(only(report).error().orElseThrow())
        .contains("no rows to load (the filter dropped every row); mode replace would empty");
  }

  /** The rows of table people as {@code id=age}. */
  private List<String> ages() {
    return target.rows("people").stream().map(row -> row[0] + "=" + row[1]).toList();
  }
}
