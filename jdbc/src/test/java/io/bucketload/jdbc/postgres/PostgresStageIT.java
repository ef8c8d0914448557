package io.bucketload.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.Fault;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.RowStage;
import io.bucketload.core.target.StageWriter;
import io.bucketload.core.target.StagedRows;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.core.target.TargetFactory;
import io.bucketload.core.target.Targets;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file's stage on a real server, as Spark's executors and driver use it: parts written by the
 * stage writer (as an executor does, on connections of its own), only the attempts the load took
 * loaded however many wrote, counts checked, values the table would refuse refused with their line,
 * the stage dropped whatever becomes of the transaction, and stages of processes that died dropped
 * by the next one.
 */
class PostgresStageIT {
  private static final List<TargetColumn> COLUMNS =
      List.of(
          new TargetColumn("id", ColumnType.LONG, 0, 0, false),
          new TargetColumn("name", ColumnType.STRING, 0, 0, true),
          new TargetColumn("amount", ColumnType.DECIMAL, 6, 2, true));

  @TempDir Path dir;
  PgFixture pg;
  TargetFactory factory;
  PipelineSpec spec;
  Target target;
  StageWriter writer;

  @BeforeEach
  void setUp() throws Exception {
    pg = new PgFixture(dir);
    spec =
        pg.spec(
            pg.pipeline("name: orders\nsource: {path: landing}\n" + pg.target("table: orders\n")));
    factory = Targets.factoryFor(spec);
    target = factory.open(spec.target().settings());
    writer = factory.stageWriter(spec.target().settings()).orElseThrow();
  }

  @AfterEach
  void tearDown() {
    target.close();
  }

  private static LoadPlan plan(LoadMode mode) {
    return new LoadPlan(
        "orders",
        "run-1",
        new FileVersion("big.csv", 100, "sum"),
        "orders",
        mode,
        COLUMNS,
        mode == LoadMode.APPEND ? List.of() : List.of("id"),
        true,
        "");
  }

  /** A chunk of rows {@code id,name,amount}, the first on {@code firstLine}, one line each. */
  private static RowChunk rows(long firstLine, Object[]... rows) {
    RowChunk chunk = new RowChunk(rows.length);
    for (int i = 0; i < rows.length; i++) {
      chunk.add(rows[i], firstLine + i);
    }
    return chunk;
  }

  private static Object[] row(long id, String name, String amount) {
    return new Object[] {id, name, amount == null ? null : new BigDecimal(amount)};
  }

  private List<String> stages() throws Exception {
    return pg.query(
        "SELECT tablename FROM pg_tables WHERE tablename LIKE 'bucketload\\_stage\\_%' ORDER BY 1");
  }

  @Test
  void partsWrittenByOtherProcessesJoinTheLoadAndALaterLineOfAKeyWins() throws Exception {
    try (LoadTransaction transaction = target.begin()) {
      TableLoad load = transaction.load(plan(LoadMode.UPSERT));
      RowStage stage = load.openStage().orElseThrow();
      assertThat(stage.columns()).isEqualTo(COLUMNS);
      assertThat(stages()).containsExactly(stage.name());
      // The loading process's own rows (the file's first part), lines 2-3.
      load.write(rows(2, row(1, "first", "1.00"), row(2, "second", "2.00")));
      // Part 1: a first attempt that died after writing, then the attempt that was taken.
      writer.write(stage, 1, 10, List.of(rows(4, row(3, "lost", "9.00"))));
      StagedRows part1 =
          writer.write(
              stage, 1, 11, List.of(rows(4, row(3, "third", "3.00"), row(1, "first again", null))));
      // Both attempts' rows are in the stage; the load takes the one it is handed.
      assertThat(pg.query("SELECT count(*) FROM " + stage.name())).containsExactly("3");
      // Part 2: an attempt never taken (its part was read again with the one before).
      writer.write(stage, 2, 20, List.of(rows(6, row(9, "never", "9.00"))));
      StagedRows part2 = writer.write(stage, 3, 30, List.of(rows(6, row(4, "fourth", "4.00"))));
      assertThat(part1).isEqualTo(new StagedRows(1, 11, 2));
      load.takeStaged(part1);
      load.takeStaged(part2);

      LoadCounts counts = load.finish();
      transaction.commit(List.of());

      assertThat(counts.inserted()).hasValue(4);
    }
    assertThat(pg.query("SELECT id, name, amount FROM orders ORDER BY id"))
        .containsExactly("1|first again|null", "2|second|2.00", "3|third|3.00", "4|fourth|4.00");
    assertThat(stages()).isEmpty();
  }

  @Test
  void appendedPartsGoStraightIntoTheTableAndAnAbortLeavesNeitherRowsNorStage() throws Exception {
    try (LoadTransaction transaction = target.begin()) {
      TableLoad load = transaction.load(plan(LoadMode.APPEND));
      RowStage stage = load.openStage().orElseThrow();
      load.write(rows(2, row(1, "a", "1.00")));
      load.takeStaged(writer.write(stage, 1, 1, List.of(rows(3, row(2, "b", "2.00")))));
      assertThat(load.finish().loaded()).isEqualTo(2);
      assertThat(pg.query("SELECT count(*) FROM " + stage.name())).containsExactly("1");
      transaction.abort();
    }
    // The table was created by the aborted transaction: nothing of it is left.
    assertThat(pg.query("SELECT to_regclass('orders') IS NULL")).containsExactly("t");
    assertThat(stages()).isEmpty();
  }

  @Test
  void aStageThatDoesNotHoldWhatTheAttemptWroteFailsTheLoad() throws Exception {
    try (LoadTransaction transaction = target.begin()) {
      TableLoad load = transaction.load(plan(LoadMode.UPSERT));
      RowStage stage = load.openStage().orElseThrow();
      writer.write(stage, 1, 5, List.of(rows(2, row(1, "a", "1.00"))));
      // An attempt whose rows the stage does not hold (its write never committed).
      load.takeStaged(new StagedRows(1, 6, 1));

      assertThatThrownBy(load::finish)
          .isInstanceOfSatisfying(
              TargetException.class, e -> assertThat(e.fault()).isEqualTo(Fault.SYSTEM))
          .hasMessageContaining("the stage holds 0 rows")
          .hasMessageContaining("which wrote 1");
    }
    assertThat(stages()).isEmpty();
  }

  @Test
  void aValueTheServerRefusesInAPartNamesItsLineAndIsTheDataFault() throws Exception {
    try (LoadTransaction transaction = target.begin()) {
      TableLoad load = transaction.load(plan(LoadMode.UPSERT));
      RowStage stage = load.openStage().orElseThrow();

      assertThatThrownBy(
              () ->
                  writer.write(
                      stage, 2, 1, List.of(rows(40, row(1, "a", "1.00"), row(2, "b", "12345.67")))))
          .isInstanceOfSatisfying(
              TargetException.class, e -> assertThat(e.fault()).isEqualTo(Fault.DATA))
          .hasMessageContaining("staging part 2 of big.csv")
          .hasMessageContaining("line 41 of big.csv");
      assertThat(pg.query("SELECT count(*) FROM " + stage.name())).containsExactly("0");
    }
  }

  @Test
  void theStageRefusesWhatTheExistingTableWouldWithTheLine() throws Exception {
    pg.execute(
        "CREATE TABLE orders (id bigint PRIMARY KEY, name varchar(3) NOT NULL, amount"
            + " numeric(6,2))");
    try (LoadTransaction transaction = target.begin()) {
      RowStage stage = transaction.load(plan(LoadMode.APPEND)).openStage().orElseThrow();

      assertThatThrownBy(
              () ->
                  writer.write(
                      stage, 1, 1, List.of(rows(7, row(1, "abc", "1.00"), row(2, "abcd", null)))))
          .isInstanceOfSatisfying(
              TargetException.class, e -> assertThat(e.fault()).isEqualTo(Fault.DATA))
          .hasMessageContaining("character varying(3)")
          .hasMessageContaining("line 8 of big.csv");
      assertThatThrownBy(() -> writer.write(stage, 2, 2, List.of(rows(20, row(3, null, "1.00")))))
          .isInstanceOfSatisfying(
              TargetException.class, e -> assertThat(e.fault()).isEqualTo(Fault.DATA))
          .hasMessageContaining("null value in column \"name\"")
          .hasMessageContaining("line 20 of big.csv");
    }
  }

  @Test
  void aMergeTakesWhatALaterRowOfItsKeyReplacesAsTheMergeWould() throws Exception {
    pg.execute(
        "CREATE TABLE orders (id bigint PRIMARY KEY, name varchar(3) NOT NULL, amount"
            + " numeric(6,2))");
    try (LoadTransaction transaction = target.begin()) {
      TableLoad load = transaction.load(plan(LoadMode.UPSERT));
      RowStage stage = load.openStage().orElseThrow();
      // Too long and NULL for the table, but replaced by later rows of the same key.
      load.takeStaged(
          writer.write(
              stage,
              1,
              1,
              List.of(
                  rows(
                      2,
                      row(1, "too long", "1.00"),
                      row(2, null, "2.00"),
                      row(1, "abc", "3.00"),
                      row(2, "de", "4.00")))));
      load.finish();
      transaction.commit(List.of());
    }
    assertThat(pg.query("SELECT id, name, amount FROM orders ORDER BY id"))
        .containsExactly("1|abc|3.00", "2|de|4.00");
  }

  @Test
  void stagesLeftByProcessesThatDiedAreDroppedAndThoseInUseAreKept() throws Exception {
    String abandoned = "bucketload_stage_0123456789abcdef";
    String inUse = "bucketload_stage_fedcba9876543210";
    pg.execute("CREATE UNLOGGED TABLE " + abandoned + " (x integer)");
    pg.execute("CREATE UNLOGGED TABLE " + inUse + " (x integer)");
    pg.execute("CREATE TABLE bucketload_stage_notes (x integer)");
    try (Connection other = PostgresServer.connect(pg.url);
        PreparedStatement lock =
            other.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
      lock.setInt(1, 0x626c7301);
      lock.setString(2, "public." + inUse);
      lock.executeQuery().close();

      try (LoadTransaction transaction = target.begin()) {
        RowStage stage = transaction.load(plan(LoadMode.UPSERT)).openStage().orElseThrow();

        assertThat(stages())
            .containsExactlyInAnyOrder(stage.name(), inUse, "bucketload_stage_notes")
            .doesNotContain(abandoned);
      }
    }
    assertThat(stages())
        .containsExactly("bucketload_stage_fedcba9876543210", "bucketload_stage_notes");
  }
}
