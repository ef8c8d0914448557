package io.bucketload.core.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every load mode means, written once and run against every target: a subclass says how to
 * address its target and read a table back. A target that cannot do a mode refuses it when the
 * pipeline is checked, before any file is read. Counts a target cannot tell are skipped where
 * {@link #countsChanges()} says so.
 */
public abstract class ModeContract {
  /** The test's folder: the pipeline file and its landing folder. */
  @TempDir protected Path dir;

  /** The {@code target} section (YAML, at column 0) for {@code table} in {@code mode}. */
  protected abstract String target(String table, LoadMode mode);

  /** Reads and checks a pipeline file as the target's tests need (e.g. with its secrets). */
  protected abstract PipelineSpec read(Path pipeline);

  /** The table's rows as {@code id|name}, sorted by id. */
  protected abstract List<String> rows(String table) throws Exception;

  /** Whether the target can do the mode. */
  protected boolean supports(LoadMode mode) {
    return true;
  }

  /** Whether the target tells updated and unchanged rows apart. */
  protected boolean countsChanges() {
    return true;
  }

  /** A table name unique to this test run. */
  protected String table(String name) {
    return name + "_" + Long.toString(System.nanoTime(), 36).toLowerCase(Locale.ROOT);
  }

  private Path pipeline(String table, LoadMode mode) throws IOException {
    Files.createDirectories(dir.resolve("landing"));
    Path file = dir.resolve("pipeline-" + mode.configName() + ".yaml");
    Files.writeString(
        file,
        "name: contract-"
            + table
            + "\n"
            + "source: {path: landing, settle: 0s}\n"
            + "schema:\n"
            + "  key: [id]\n"
            + "  columns:\n"
            + "    - {name: id, type: long, required: true}\n"
            + "    - {name: name, type: string}\n"
            + target(table, mode)
            + "rejects: {max: 0}\n",
        StandardCharsets.UTF_8);
    return file;
  }

  protected FileReport load(String table, LoadMode mode, String file, String rows)
      throws IOException {
    return load(table, mode, file, rows, RunOptions.LOAD);
  }

  private FileReport load(String table, LoadMode mode, String file, String rows, RunOptions options)
      throws IOException {
    PipelineSpec spec = read(pipeline(table, mode));
    Files.writeString(
        dir.resolve("landing").resolve(file), "id,name\n" + rows, StandardCharsets.UTF_8);
    RunReport report;
    try (Pipeline pipeline = Pipeline.open(spec, LoadListener.NONE)) {
      report = pipeline.run(List.of(file), options);
    }
    assertThat(report.files()).hasSize(1);
    return report.files().get(0);
  }

  private static FileReport loaded(FileReport report) {
    assertThat(report.outcome())
        .as("%s: %s", report.file(), report.error().orElse(""))
        .isInstanceOf(FileOutcome.Loaded.class);
    return report;
  }

  @Test
  void appendInsertsEveryRowOfEveryFile() throws Exception {
    String table = table("append");
    loaded(load(table, LoadMode.APPEND, "a.csv", "1,a\n2,b\n"));
    FileReport second = loaded(load(table, LoadMode.APPEND, "b.csv", "3,c\n"));

    assertThat(second.rowsLoaded()).isOne();
    assertThat(rows(table)).containsExactly("1|a", "2|b", "3|c");
  }

  @Test
  void contentThatGoesBackToAnEarlierVersionLoadsAgain() throws Exception {
    String table = table("back");
    loaded(load(table, LoadMode.SYNC, "stock.csv", "1,a\n2,b\n"));
    loaded(load(table, LoadMode.SYNC, "stock.csv", "3,c\n"));

    loaded(load(table, LoadMode.SYNC, "stock.csv", "1,a\n2,b\n"));
    FileReport again = load(table, LoadMode.SYNC, "stock.csv", "1,a\n2,b\n");

    assertThat(rows(table)).containsExactly("1|a", "2|b");
    assertThat(again.outcome()).isInstanceOf(FileOutcome.Skipped.class);
  }

  @Test
  void aForcedRunLoadsTheLatestVersionAgain() throws Exception {
    String table = table("forced");
    loaded(load(table, LoadMode.UPSERT, "a.csv", "1,a\n"));

    FileReport forced =
        loaded(load(table, LoadMode.UPSERT, "a.csv", "1,a\n", new RunOptions(false, false, true)));
    FileReport after = load(table, LoadMode.UPSERT, "a.csv", "1,a\n");

    assertThat(forced.warnings()).anyMatch(w -> w.startsWith("forced: this version was already"));
    assertThat(after.outcome()).isInstanceOf(FileOutcome.Skipped.class);
    assertThat(rows(table)).containsExactly("1|a");
  }

  @Test
  void upsertInsertsNewKeysUpdatesChangedOnesAndTheLastRowOfARepeatedKeyWins() throws Exception {
    String table = table("upsert");
    loaded(load(table, LoadMode.UPSERT, "a.csv", "1,a\n2,b\n"));
    FileReport second = loaded(load(table, LoadMode.UPSERT, "b.csv", "2,B\n3,c\n3,C\n1,a\n"));

    assertThat(rows(table)).containsExactly("1|a", "2|B", "3|C");
    if (countsChanges()) {
      assertThat(second.inserted()).hasValue(1);
      assertThat(second.updated()).hasValue(1);
      assertThat(second.unchanged()).hasValue(1);
    }
  }

  @Test
  void insertNewAddsOnlyKeysTheTableLacks() throws Exception {
    String table = table("insert_new");
    loaded(load(table, LoadMode.INSERT_NEW, "a.csv", "1,a\n"));
    FileReport second = loaded(load(table, LoadMode.INSERT_NEW, "b.csv", "1,changed\n2,b\n"));

    assertThat(rows(table)).containsExactly("1|a", "2|b");
    assertThat(second.inserted()).hasValue(1);
    assertThat(second.unchanged()).hasValue(1);
  }

  @Test
  void syncUpsertsAndDeletesTheKeysTheFileLacks() throws Exception {
    String table = table("sync");
    loaded(load(table, LoadMode.SYNC, "a.csv", "1,a\n2,b\n3,c\n"));
    FileReport second = loaded(load(table, LoadMode.SYNC, "b.csv", "2,B\n4,d\n"));

    assertThat(rows(table)).containsExactly("2|B", "4|d");
    assertThat(second.deleted()).hasValue(2);
    if (countsChanges()) {
      assertThat(second.inserted()).hasValue(1);
      assertThat(second.updated()).hasValue(1);
    }
  }

  @Test
  void replaceMakesTheTableTheFilesRowsOrIsRefusedBeforeAnyFileIsRead() throws Exception {
    String table = table("replace");
    if (!supports(LoadMode.REPLACE)) {
      assertThatThrownBy(() -> read(pipeline(table, LoadMode.REPLACE)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("replace");
      return;
    }
    loaded(load(table, LoadMode.REPLACE, "a.csv", "1,a\n2,b\n"));
    FileReport second = loaded(load(table, LoadMode.REPLACE, "b.csv", "3,c\n"));

    assertThat(rows(table)).containsExactly("3|c");
    assertThat(second.deleted()).hasValue(2);
  }

  @Test
  void mergeSetsTheFilesValuesOnNewAndExistingKeysOrIsRefusedBeforeAnyFileIsRead()
      throws Exception {
    String table = table("merge");
    if (!supports(LoadMode.MERGE)) {
      assertThatThrownBy(() -> read(pipeline(table, LoadMode.MERGE)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("merge");
      return;
    }
    loaded(load(table, LoadMode.MERGE, "a.csv", "1,a\n2,b\n"));
    FileReport second = loaded(load(table, LoadMode.MERGE, "b.csv", "2,B\n3,c\n1,a\n"));

    assertThat(rows(table)).containsExactly("1|a", "2|B", "3|c");
    assertThat(second.inserted()).hasValue(1);
    assertThat(second.updated()).hasValue(1);
    assertThat(second.unchanged()).hasValue(1);
  }

  @Test
  void anEmptyFileLoadsNothingAndIsRefusedWhereItWouldEmptyTheTable() throws Exception {
    String table = table("empty");
    loaded(load(table, LoadMode.UPSERT, "a.csv", "1,a\n"));
    PipelineSpec spec = read(pipeline(table, LoadMode.SYNC));
    Files.writeString(dir.resolve("landing/empty.csv"), "", StandardCharsets.UTF_8);
    RunReport report;
    try (Pipeline pipeline = Pipeline.open(spec, LoadListener.NONE)) {
      report = pipeline.run(List.of("empty.csv"), RunOptions.LOAD);
    }
    FileReport upserted = loaded(load(table, LoadMode.UPSERT, "header-only.csv", ""));

    assertThat(report.files().get(0).outcome()).isInstanceOf(FileOutcome.FailedOnData.class);
    assertThat(report.files().get(0).error().orElseThrow())
        .contains("no rows to load (the file has none); mode sync would empty table");
    assertThat(upserted.rowsLoaded()).isZero();
    assertThat(rows(table)).containsExactly("1|a");
  }

  @Test
  void aFileOverItsRejectLimitLoadsNothingInAnyMode() throws Exception {
    for (LoadMode mode : LoadMode.values()) {
      if (!supports(mode)) {
        continue;
      }
      String table = table("rejects_" + mode.configName());
      loaded(load(table, mode, "ok.csv", "1,a\n"));
      FileReport bad = load(table, mode, "bad-" + mode.configName() + ".csv", "2,b\nx,c\n");

      assertThat(bad.outcome()).as(mode.configName()).isInstanceOf(FileOutcome.FailedOnData.class);
      assertThat(rows(table)).as(mode.configName()).containsExactly("1|a");
    }
  }
}
