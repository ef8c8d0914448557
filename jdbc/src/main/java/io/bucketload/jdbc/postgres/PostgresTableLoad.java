package io.bucketload.jdbc.postgres;

import static io.bucketload.jdbc.SqlIdentifiers.quote;
import static io.bucketload.jdbc.SqlIdentifiers.quoteAll;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.RowStage;
import io.bucketload.core.target.StagedRows;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.jdbc.SqlIdentifiers;
import io.bucketload.jdbc.SqlMerge;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One file's rows into a PostgreSQL table through {@code COPY ... FROM STDIN} (binary format),
 * inside the transaction of a {@link PostgresTransaction}. {@code append} (and {@code replace}
 * without a key, after deleting the old rows) copy straight into the table; the other modes copy
 * into a temporary staging table and merge from it at {@link #finish()}, where repeated keys are
 * resolved (the last line wins) and the counts are taken.
 *
 * <p>When the file's parts are read on other machines, they write their rows to a stage the load
 * opens ({@link #openStage()}, a {@link PostgresStage}); {@link #finish()} takes the rows of the
 * parts it was handed ({@link #takeStaged}) into the table, or into the staging table of a merge,
 * with one {@code INSERT ... SELECT} inside the transaction.
 */
final class PostgresTableLoad implements TableLoad {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PostgresTableLoad.class);
  private static final String STAGE = "__bucketload_stage";
  private static final String DEDUP = "__bucketload_dedup";
  private static final String LINE = "__bucketload_line";
  private static final int FLUSH_BYTES = 1 << 18;

  private final Connection connection;
  private final PostgresConnector connector;
  private final java.util.function.Consumer<PostgresStage> onStage;
  private final String schema;
  private final LoadPlan plan;
  private final PostgresTables.Table table;
  private final boolean staged;
  private final CopyIn copy;
  private final CopyBinaryEncoder encoder;
  private final LineMap lines = new LineMap();
  private final long deletedAtStart;
  private final String what;
  private final List<StagedRows> taken = new ArrayList<>();
  private long rows;
  private boolean copying = true;

  /** The stage the file's parts write to, once opened; else null. */
  private PostgresStage stage;

  private PostgresTableLoad(
      Connection connection,
      PostgresConnector connector,
      java.util.function.Consumer<PostgresStage> onStage,
      String schema,
      LoadPlan plan,
      PostgresTables.Table table,
      boolean staged,
      CopyIn copy,
      long deletedAtStart) {
    this.connection = connection;
    this.connector = connector;
    this.onStage = onStage;
    this.schema = schema;
    this.plan = plan;
    this.table = table;
    this.staged = staged;
    this.copy = copy;
    this.encoder = new CopyBinaryEncoder(plan.columns(), staged ? 1 : 0, FLUSH_BYTES + (1 << 16));
    this.deletedAtStart = deletedAtStart;
    this.what = describe(plan);
  }

  /**
   * @param connector opens the stage's own connection, when the load opens one
   * @param onStage told of the stage the load opens, which the transaction drops once it ends
   */
  static PostgresTableLoad begin(
      Connection connection,
      PostgresConnector connector,
      java.util.function.Consumer<PostgresStage> onStage,
      String schema,
      LoadPlan plan) {
    String what = describe(plan);
    try {
      PostgresTables.Table table = PostgresTables.ensure(connection, schema, plan);
      boolean staged = plan.mergesByKey();
      long deleted = 0;
      String copySql;
      try (Statement statement = connection.createStatement()) {
        if (!staged && plan.mode() == LoadMode.REPLACE) {
          // Its DELETE, which comes first, must see every row committed before it.
          lockAgainstOtherWriters(statement, schema, table.name());
        }
        if (staged) {
          statement.execute("DROP TABLE IF EXISTS pg_temp." + quote(STAGE));
          statement.execute(
              "CREATE TEMPORARY TABLE "
                  + quote(STAGE)
                  + " ("
                  + java.util.stream.IntStream.range(0, plan.columns().size())
                      .mapToObj(
                          i ->
                              quote(plan.columns().get(i).name()) + " " + table.stageTypes().get(i))
                      .collect(Collectors.joining(", "))
                  + ", "
                  + quote(LINE)
                  + " bigint) ON COMMIT DROP");
          copySql =
              "COPY pg_temp."
                  + quote(STAGE)
                  + " ("
                  + quoteAll(plan.columns().stream().map(TargetColumn::name).toList())
                  + ", "
                  + quote(LINE)
                  + ") FROM STDIN WITH (FORMAT binary)";
        } else {
          if (plan.mode() == LoadMode.REPLACE) {
            deleted =
                statement.executeUpdate(
                    "DELETE FROM " + SqlIdentifiers.qualified(schema, table.name()));
          }
          copySql =
              "COPY "
                  + SqlIdentifiers.qualified(schema, table.name())
                  + " ("
                  + quoteAll(table.columns())
                  + ") FROM STDIN WITH (FORMAT binary)";
        }
      }
      CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
      return new PostgresTableLoad(
          connection, connector, onStage, schema, plan, table, staged, copy, deleted);
    } catch (SQLException e) {
      // The server's detail too: which key of the table another table still references.
      throw CopyFailures.explained(
          e, what, new LineMap(), plan.file().key(), false, plan.mode() == LoadMode.REPLACE);
    }
  }

  /**
   * Takes {@code SHARE ROW EXCLUSIVE} on the table until the commit, before a {@code DELETE} of
   * {@code replace} or {@code sync}: a DELETE that ran while another load's transaction was open
   * would miss that load's rows, which would then stay beside this file's. Readers go on; writers
   * of the table (other loads among them) wait for the commit, and this load for theirs. {@code
   * ONLY}: every load writes through the table itself, also into a partitioned one, so its lock
   * orders them without locking (or needing rights on) each partition.
   */
  private static void lockAgainstOtherWriters(Statement statement, String schema, String table)
      throws SQLException {
    statement.execute(
        "LOCK TABLE ONLY "
            + SqlIdentifiers.qualified(schema, table)
            + " IN SHARE ROW EXCLUSIVE MODE");
  }

  private static String describe(LoadPlan plan) {
    return "loading " + plan.file().key() + " into " + plan.table();
  }

  @Override
  public void write(RowChunk chunk) {
    String file = plan.file().key();
    for (int r = 0; r < chunk.size(); r++) {
      long line = chunk.line(r);
      encoder.row(chunk.row(r), line, file);
      if (staged) {
        encoder.extra(line);
      }
      rows++;
      lines.note(rows, line);
    }
    if (encoder.size() >= FLUSH_BYTES) {
      send();
    }
  }

  private void send() {
    try {
      copy.writeToCopy(encoder.buffer(), 0, encoder.size());
      encoder.clear();
    } catch (SQLException e) {
      throw explained(e);
    }
  }

  @Override
  public LoadCounts finish() {
    encoder.end();
    send();
    try {
      copying = false;
      // What the table took: fewer rows than were sent when a trigger skipped some.
      long written = copy.endCopy();
      if (!taken.isEmpty()) {
        written += takeFromStage();
      }
      if (!staged) {
        LoadCounts counts = LoadCounts.exact(written, written, 0, 0, deletedAtStart);
        long sent = rows + taken.stream().mapToLong(StagedRows::rows).sum();
        return written == sent
            ? counts
            : new LoadCounts(
                written,
                counts.inserted(),
                counts.updated(),
                counts.unchanged(),
                counts.deleted(),
                sent - written);
      }
      LoadCounts counts = merge();
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS pg_temp." + quote(DEDUP));
        statement.execute("DROP TABLE pg_temp." + quote(STAGE));
      }
      return counts;
    } catch (SQLException e) {
      throw explained(e);
    }
  }

  @Override
  public Optional<RowStage> openStage() {
    if (stage != null) {
      throw new IllegalStateException("the load of " + plan.file().key() + " has a stage already");
    }
    // Rows that go straight into the table are checked as the table checks them, with their line;
    // the rows of a merge as the merge's own staging table takes them (a row a later row of its key
    // replaces never reaches the table).
    List<String> definitions = staged ? table.stageTypes() : table.definitions();
    stage = PostgresStage.open(connector, schema, plan.file().key(), plan.columns(), definitions);
    onStage.accept(stage);
    return Optional.of(stage.stage());
  }

  @Override
  public void takeStaged(StagedRows rows) {
    if (stage == null) {
      throw new IllegalStateException("the load of " + plan.file().key() + " has no stage");
    }
    taken.add(rows);
  }

  /**
   * Copies the rows of the attempts taken from the stage into the table (or the merge's staging
   * table), within the transaction; fails when the stage does not hold exactly the rows the
   * attempts wrote.
   *
   * @return the rows the table (or staging table) took
   */
  private long takeFromStage() throws SQLException {
    List<String> names = plan.columns().stream().map(TargetColumn::name).toList();
    String into =
        staged
            ? "pg_temp." + quote(STAGE) + " (" + quoteAll(names) + ", " + quote(LINE) + ")"
            : SqlIdentifiers.qualified(schema, table.name())
                + " ("
                + quoteAll(table.columns())
                + ")";
    String select = quoteAll(names) + (staged ? ", " + quote(PostgresStage.LINE) : "");
    Long[] parts = new Long[taken.size()];
    Long[] attempts = new Long[taken.size()];
    long expected = 0;
    for (int i = 0; i < taken.size(); i++) {
      parts[i] = (long) taken.get(i).part();
      attempts[i] = taken.get(i).attempt();
      expected += taken.get(i).rows();
    }
    long copied;
    long startedNanos = System.nanoTime();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO " + into + " SELECT " + select + " FROM " + takenRows())) {
      insert.setArray(1, connection.createArrayOf("bigint", parts));
      insert.setArray(2, connection.createArrayOf("bigint", attempts));
      copied = insert.executeLargeUpdate();
    }
    long held = copied;
    if (!staged && table.beforeRowTriggers()) {
      // A trigger on the table may skip rows: the stage's own count is what the parts wrote.
      try (PreparedStatement count =
          connection.prepareStatement("SELECT count(*) FROM " + takenRows())) {
        count.setArray(1, connection.createArrayOf("bigint", parts));
        count.setArray(2, connection.createArrayOf("bigint", attempts));
        try (ResultSet result = count.executeQuery()) {
          result.next();
          held = result.getLong(1);
        }
      }
    }
    LOG.info(
        "{}: {} rows of {} parts taken from stage {} in {} ms",
        plan.file().key(),
        copied,
        taken.size(),
        stage.stage().name(),
        (System.nanoTime() - startedNanos) / 1_000_000);
    if (held != expected) {
      throw TargetException.system(
          what
              + ": the stage holds "
              + held
              + " rows of the parts read on other machines, which wrote "
              + expected
              + "; nothing was loaded (the next run loads the file)",
          null,
          true);
    }
    return copied;
  }

  /**
   * The stage's rows of the taken attempts: {@code FROM} and {@code WHERE}, with the arrays of
   * parts and of their attempts as parameters 1 and 2.
   */
  private String takenRows() {
    return stage.table()
        + " WHERE ("
        + quote(PostgresStage.PART)
        + ", "
        + quote(PostgresStage.ATTEMPT)
        + ") IN (SELECT * FROM unnest(?::bigint[], ?::bigint[]))";
  }

  /**
   * PostgreSQL's merge statements: inserts go through {@code ON CONFLICT} on the table's key, so
   * that two loads adding the same new key at once wait for each other instead of failing. An
   * upsert tells its inserts from its updates by the rows' {@code xmax}, or, in a partitioned
   * table, whose rows have none, by whether the key was in the table before the statement.
   */
  private record Dialect(boolean partitioned, boolean triggered) implements SqlMerge.Dialect {
    @Override
    public String createWorkTable(String name) {
      return "CREATE TEMPORARY TABLE " + name + " ON COMMIT DROP";
    }

    @Override
    public long[] upsert(Statement statement, SqlMerge.Names names) throws SQLException {
      List<String> values = names.tableValues();
      String conflict = " ON CONFLICT (" + quoteAll(names.tableKey()) + ")";
      if (values.isEmpty()) {
        return new long[] {
          statement.executeUpdate(names.insertAll() + conflict + " DO NOTHING"), 0
        };
      }
      String excluded = values.stream().map(name -> "EXCLUDED." + quote(name)).collect(joining());
      String current = values.stream().map(name -> "t." + quote(name)).collect(joining());
      String upsert =
          names.insertAllAliased()
              + conflict
              + " DO UPDATE SET ("
              + quoteAll(values)
              + ") = ROW("
              + excluded
              + ") WHERE ROW("
              + current
              + ") IS DISTINCT FROM ROW("
              + excluded
              + ")";
      String counts;
      if (partitioned) {
        // Every part of one statement sees the table as it was before the statement: a key found
        // there was updated, any other inserted.
        List<String> key = names.tableKey();
        counts =
            "WITH m AS ("
                + upsert
                + " RETURNING "
                + key.stream().map(name -> "t." + quote(name)).collect(joining())
                + ") SELECT count(*) FILTER (WHERE o."
                + quote(key.get(0))
                + " IS NULL), count(*) FILTER (WHERE o."
                + quote(key.get(0))
                + " IS NOT NULL) FROM m LEFT JOIN "
                + names.table()
                + " o ON "
                + key.stream()
                    .map(name -> "o." + quote(name) + " = m." + quote(name))
                    .collect(Collectors.joining(" AND "));
      } else {
        counts =
            "WITH m AS ("
                + upsert
                + " RETURNING (xmax = 0) AS inserted)"
                + " SELECT count(*) FILTER (WHERE inserted),"
                + " count(*) FILTER (WHERE NOT inserted) FROM m";
      }
      try (ResultSet result = statement.executeQuery(counts)) {
        result.next();
        return new long[] {result.getLong(1), result.getLong(2)};
      }
    }

    @Override
    public long insertNew(Statement statement, SqlMerge.Names names) throws SQLException {
      return statement.executeUpdate(
          names.insertAll() + " ON CONFLICT (" + quoteAll(names.tableKey()) + ") DO NOTHING");
    }

    /**
     * {@inheritDoc} Into a table with a row trigger, first checks that every key of the file is in
     * the table: a trigger that rewrote a key ({@code upper(code)}) or skipped a row would
     * otherwise have the rows this load just wrote deleted as absent from the file.
     */
    @Override
    public long deleteAbsent(Statement statement, SqlMerge.Names names) throws SQLException {
      long missing = triggered ? SqlMerge.keysNotInTable(statement, names) : 0;
      if (missing > 0) {
        throw TargetException.mismatch(
            "table "
                + names.table()
                + ": a trigger on it changed or skipped "
                + missing
                + " of the file's keys, so mode sync, which deletes the rows whose key the file"
                + " lacks, would delete rows this load wrote; nothing was loaded. Load with"
                + " upsert, or keep the trigger from changing the key.");
      }
      return SqlMerge.Dialect.super.deleteAbsent(statement, names);
    }
  }

  private LoadCounts merge() throws SQLException {
    List<String> stageNames = plan.columns().stream().map(TargetColumn::name).toList();
    SqlMerge.Names names =
        new SqlMerge.Names(
            SqlIdentifiers.qualified(schema, table.name()),
            "pg_temp." + quote(STAGE),
            "pg_temp." + quote(DEDUP),
            LINE,
            stageNames,
            table.columns(),
            plan.key().stream().map(stageNames::indexOf).toList());
    try (Statement statement = connection.createStatement()) {
      if (plan.mode() == LoadMode.REPLACE || plan.mode() == LoadMode.SYNC) {
        // Their DELETE must see every row committed before it; the COPY into the stage, which
        // took the time, held no lock.
        lockAgainstOtherWriters(statement, schema, table.name());
      }
      LoadCounts counts =
          new SqlMerge(new Dialect(table.partitioned(), table.beforeRowTriggers()))
              .merge(statement, names, plan.mode());
      return table.beforeRowTriggers() ? withoutUnchanged(counts) : counts;
    } catch (SqlMerge.KeyCollision e) {
      // Appends into PostgreSQL copy straight into the table, whose key refuses a duplicate, and
      // the modes that update by key need a unique key on the table.
      throw new IllegalStateException("keys are unique in a PostgreSQL table loaded by key", e);
    }
  }

  /**
   * The counts of a merge into a table whose trigger may skip rows: what was not inserted or
   * updated was unchanged, or skipped by the trigger, which the statements do not tell apart.
   */
  private static LoadCounts withoutUnchanged(LoadCounts counts) {
    return new LoadCounts(
        counts.loaded(),
        counts.inserted(),
        counts.updated(),
        java.util.OptionalLong.empty(),
        counts.deleted());
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(", ");
  }

  private TargetException explained(SQLException e) {
    return CopyFailures.explained(
        e,
        what,
        lines,
        plan.file().key(),
        !staged && plan.mode() == LoadMode.APPEND,
        plan.mode() == LoadMode.REPLACE);
  }

  /** Cancels an unfinished COPY after a failure; the transaction's rollback discards the rows. */
  void abandon() {
    if (copying) {
      copying = false;
      try {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      } catch (SQLException | RuntimeException e) {
        // The connection may be gone; the rollback (or the server) discards the rows either way.
      }
    }
  }
}
