package io.bucketload.jdbc;

import io.bucketload.core.error.Fault;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.FileClaimedException;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.VersionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The ledger table {@code bucketload_ledger} of a SQL target: one row per attempt. Successful
 * attempts are inserted by the load's own transaction ({@link #insert}), so the rows and their
 * ledger entry commit together. Uses the target's connection, which it shares with loads (never at
 * the same time).
 */
public final class JdbcLedger implements Ledger {
  /** The table's name. */
  public static final String TABLE_NAME = "bucketload_ledger";

  private static final String COLUMNS =
      "pipeline, run_id, file, size, checksum, status, started_at, finished_at, rows_read,"
          + " rows_rejected, rows_loaded, inserted, updated, unchanged, deleted, error, fault,"
          + " definition, supersedes, run_trigger";

  /** The table of what became of runs' notifications ({@link #recordNotifications}). */
  public static final String NOTIFICATIONS_TABLE_NAME = "bucketload_notifications";

  /** The table of triggers' last runs ({@link #lastTriggered}). */
  public static final String TRIGGERS_TABLE_NAME = "bucketload_triggers";

  /** Held while a table made on first use is made (see the constructor). */
  private final Object catalogTurn;

  private final java.util.function.Supplier<Connection> connections;

  /**
   * The ledger's per-file statements, kept for the next use: DuckDB takes longer to prepare the
   * lookup of a file's latest load than to run it on a ledger of thousands of entries. Its monitor
   * is held from a statement's first parameter to the end of its results: {@link #insertLoad} runs
   * in a load's transaction, outside the ledger's monitor (never at the same time as the ledger's
   * other uses of the connection, which the target shares with its loads one at a time; the monitor
   * keeps two uses from mixing their parameters all the same).
   */
  private final PreparedStatements prepared = new PreparedStatements();

  private final String table;
  private final String triggersTable;
  private final String notificationsTable;
  private final Runnable changed;

  /**
   * A ledger in {@code schema}.
   *
   * @param connection the target's connection, not in auto-commit mode
   * @param schema the schema of the ledger table
   */
  public JdbcLedger(Connection connection, String schema) {
    this(connection, schema, () -> {});
  }

  /**
   * A ledger in {@code schema} that runs {@code changed} after each commit of new entries (a
   * load's, or a failure's), e.g. to keep a copy readable by other processes.
   */
  public JdbcLedger(Connection connection, String schema, Runnable changed) {
    this(() -> connection, schema, changed);
  }

  /**
   * A ledger in {@code schema} on whichever connection {@code connections} gives at each use (a
   * target that closes its connection while idle and opens it again), running {@code changed} after
   * each commit of new entries. The ledger's reads and records hold its monitor while they use the
   * connection: a target closes the connection only while holding it too.
   */
  public JdbcLedger(
      java.util.function.Supplier<Connection> connections, String schema, Runnable changed) {
    this(connections, schema, changed, new Object());
  }

  /**
   * As {@link #JdbcLedger(java.util.function.Supplier, String, Runnable)}, making the tables it
   * makes on first use while holding {@code catalogTurn}'s monitor: ledgers of one process that
   * share a database (DuckDB's catalog refuses two such changes at once) pass the same object.
   */
  public JdbcLedger(
      java.util.function.Supplier<Connection> connections,
      String schema,
      Runnable changed,
      Object catalogTurn) {
    this.catalogTurn = catalogTurn;
    this.connections = connections;
    this.table = SqlIdentifiers.qualified(schema, TABLE_NAME);
    this.triggersTable = SqlIdentifiers.qualified(schema, TRIGGERS_TABLE_NAME);
    this.notificationsTable = SqlIdentifiers.qualified(schema, NOTIFICATIONS_TABLE_NAME);
    this.changed = changed;
  }

  /** Called after a transaction that inserted entries committed. */
  void committed() {
    changed.run();
  }

  /** Creates the table when missing, in the current transaction; the caller commits. */
  public void create() throws SQLException {
    try (Statement statement = connection().createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (pipeline VARCHAR NOT NULL, run_id VARCHAR NOT NULL, file VARCHAR NOT NULL,"
              + " size BIGINT NOT NULL, checksum VARCHAR NOT NULL, status VARCHAR NOT NULL,"
              + " started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL,"
              + " rows_read BIGINT NOT NULL, rows_rejected BIGINT NOT NULL, rows_loaded BIGINT NOT NULL,"
              + " inserted BIGINT, updated BIGINT, unchanged BIGINT, deleted BIGINT, error VARCHAR,"
              + " fault VARCHAR, definition VARCHAR, supersedes VARCHAR, run_trigger VARCHAR)");
      // Ledgers written before failures were told apart by fault (or before the definition, the
      // chain of loads and the trigger were kept) gain the columns, empty in their old entries
      // (which are then never final failures). Altered only when missing: ALTER TABLE
      // would wait for every load in progress.
      java.util.Set<String> columns = new java.util.HashSet<>();
      try (ResultSet empty = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
        for (int i = 1; i <= empty.getMetaData().getColumnCount(); i++) {
          columns.add(empty.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT));
        }
      }
      for (String column : List.of("fault", "definition", "supersedes", "run_trigger")) {
        if (!columns.contains(column)) {
          statement.execute(
              "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + column + " VARCHAR");
        }
      }
    }
  }

  /**
   * Inserts a successful load in the current transaction, after checking that the file's latest
   * load is still the one it supersedes; the caller commits. On PostgreSQL a unique index on {@code
   * (pipeline, file, supersedes)} of loaded entries settles two commits that race past the check.
   *
   * @throws FileClaimedException when another run loaded the file since this load looked it up
   */
  public void insertLoad(LedgerEntry entry, String supersedes) throws SQLException {
    String latest =
        latestLoad(entry.pipeline(), entry.file().key()).map(LedgerEntry::runId).orElse("");
    if (!latest.equals(supersedes)) {
      throw new FileClaimedException(
          entry.file().key()
              + ": another run ("
              + latest
              + ") loaded the file since this run looked it up; this load is not committed");
    }
    insert(entry, Optional.of(supersedes));
  }

  private void insert(LedgerEntry entry, Optional<String> supersedes) throws SQLException {
    synchronized (prepared) {
      PreparedStatement insert =
          prepared(
              "INSERT INTO "
                  + table
                  + " ("
                  + COLUMNS
                  + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      insert.setString(1, entry.pipeline());
      insert.setString(2, entry.runId());
      insert.setString(3, entry.file().key());
      insert.setLong(4, entry.file().size());
      insert.setString(5, entry.file().checksum());
      insert.setString(6, entry.status().reportName());
      insert.setTimestamp(7, utc(entry.startedAt()));
      insert.setTimestamp(8, utc(entry.finishedAt()));
      insert.setLong(9, entry.rowsRead());
      insert.setLong(10, entry.rowsRejected());
      insert.setLong(11, entry.counts().loaded());
      setCount(insert, 12, entry.counts().inserted());
      setCount(insert, 13, entry.counts().updated());
      setCount(insert, 14, entry.counts().unchanged());
      setCount(insert, 15, entry.counts().deleted());
      if (entry.error().isPresent()) {
        insert.setString(16, entry.error().get());
      } else {
        insert.setNull(16, Types.VARCHAR);
      }
      if (entry.fault().isPresent()) {
        insert.setString(17, entry.fault().get().name().toLowerCase(Locale.ROOT));
      } else {
        insert.setNull(17, Types.VARCHAR);
      }
      insert.setString(18, entry.definition());
      if (supersedes.isPresent()) {
        insert.setString(19, supersedes.get());
      } else {
        insert.setNull(19, Types.VARCHAR);
      }
      insert.setString(20, entry.trigger());
      insert.executeUpdate();
    }
  }

  private static Timestamp utc(java.time.Instant instant) {
    return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  private static void setCount(PreparedStatement statement, int index, OptionalLong value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setLong(index, value.getAsLong());
    } else {
      statement.setNull(index, Types.BIGINT);
    }
  }

  @Override
  public synchronized VersionRecord lookup(String pipeline, FileVersion version) {
    try {
      Optional<LedgerEntry> latest = latestLoad(pipeline, version.key());
      Optional<LedgerEntry> failure =
          newest(
              "pipeline = ? AND file = ? AND checksum = ? AND status = 'failed' AND fault = 'data'",
              pipeline,
              version.key(),
              version.checksum());
      connection().commit();
      return new VersionRecord(version, latest, failure);
    } catch (SQLException e) {
      rollbackQuietly();
      throw SqlFailures.of("reading the ledger", e);
    }
  }

  @Override
  public synchronized boolean mayKnow(String pipeline, String key, long size) {
    try {
      boolean found;
      synchronized (prepared) {
        PreparedStatement query =
            prepared(
                "SELECT 1 FROM " + table + " WHERE pipeline = ? AND file = ? AND size = ? LIMIT 1");
        query.setString(1, pipeline);
        query.setString(2, key);
        query.setLong(3, size);
        try (ResultSet rows = query.executeQuery()) {
          found = rows.next();
        }
      }
      connection().commit();
      return found;
    } catch (SQLException e) {
      rollbackQuietly();
      throw SqlFailures.of("reading the ledger", e);
    }
  }

  /**
   * The file's latest successful load, in the current transaction: the head of the chain of loads
   * that supersede one another, found by the chain and not by time, so that hosts whose clocks
   * differ agree on it. Loads recorded before the chain was kept (no {@code supersedes}) count only
   * when no chained load exists, the newest first.
   *
   * <p>The query leaves out only the loads another load supersedes, and the head is chosen here
   * among the few left (one, once a file's loads are chained): DuckDB took 4.4 ms for the same
   * query with a correlated {@code NOT EXISTS}, an order and a limit, 1.9 ms for this one, and a
   * load asks twice (docs/performance.md).
   */
  private Optional<LedgerEntry> latestLoad(String pipeline, String file) throws SQLException {
    synchronized (prepared) {
      PreparedStatement query =
          preparedEntries(
              " WHERE pipeline = ? AND file = ? AND status = 'loaded' AND run_id NOT IN"
                  + " (SELECT supersedes FROM "
                  + table
                  + " WHERE pipeline = ? AND file = ? AND status = 'loaded'"
                  + " AND supersedes IS NOT NULL)");
      query.setString(1, pipeline);
      query.setString(2, file);
      query.setString(3, pipeline);
      query.setString(4, file);
      LedgerEntry latest = null;
      boolean latestChained = false;
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          LedgerEntry entry = entry(rows);
          boolean chained = rows.getString("supersedes") != null;
          if (latest == null
              || (chained && !latestChained)
              || (chained == latestChained && entry.finishedAt().isAfter(latest.finishedAt()))) {
            latest = entry;
            latestChained = chained;
          }
        }
      }
      return Optional.ofNullable(latest);
    }
  }

  /**
   * The most recently finished entry that meets {@code condition}, bound to {@code values}; the
   * newest is chosen here, an order and a limit costing DuckDB more than the few entries they leave
   * out.
   */
  private Optional<LedgerEntry> newest(String condition, String... values) throws SQLException {
    synchronized (prepared) {
      PreparedStatement query = preparedEntries(" WHERE " + condition);
      for (int i = 0; i < values.length; i++) {
        query.setString(i + 1, values[i]);
      }
      return read(query).stream().max(java.util.Comparator.comparing(LedgerEntry::finishedAt));
    }
  }

  @Override
  public synchronized void recordFailure(LedgerEntry entry) {
    try {
      connection().rollback();
      insert(entry, Optional.empty());
      connection().commit();
      committed();
    } catch (SQLException e) {
      rollbackQuietly();
      throw SqlFailures.of("recording a failure in the ledger", e);
    }
  }

  @Override
  public synchronized List<LedgerEntry> history(String pipeline, int limit) {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM "
            + table
            + " WHERE pipeline = ? ORDER BY started_at DESC, finished_at DESC LIMIT "
            + Math.max(1, limit);
    try (PreparedStatement query = connection().prepareStatement(sql)) {
      query.setString(1, pipeline);
      List<LedgerEntry> found = read(query);
      connection().commit();
      return found;
    } catch (SQLException e) {
      rollbackQuietly();
      throw SqlFailures.of("reading the ledger", e);
    }
  }

  /**
   * Ends the failed transaction of a ledger operation: else the connection stays in it (PostgreSQL
   * and DuckDB refuse every later statement until a rollback) and the next file fails on it too.
   */
  private void rollbackQuietly() {
    try {
      connection().rollback();
    } catch (SQLException ignored) {
      // The connection's next use reports it.
    }
  }

  /**
   * Creates a table of the ledger when missing, in a transaction of its own that the caller
   * commits: tables that only some pipelines need (a schedule's last run, notifications) are made
   * on first use, so the others gain none. Called with no load in progress on the connection.
   */
  private void createWhenMissing(String table, String columns) throws SQLException {
    // The connection first: no other lock is taken while the turn is held.
    Connection connection = connection();
    connection.rollback();
    synchronized (catalogTurn) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (" + columns + ")");
      }
      // Committed while the turn is held: another ledger's CREATE then finds the table.
      connection.commit();
    }
  }

  /**
   * After a read of a table made on first use failed: rolls back, and says whether it failed only
   * because the table does not exist yet (PostgreSQL's undefined_table, DuckDB's catalog error).
   */
  private boolean notMadeYet(SQLException e) {
    try {
      connection().rollback();
    } catch (SQLException ignored) {
      // The connection's next use reports it.
    }
    return "42P01".equals(e.getSQLState())
        || String.valueOf(e.getMessage()).contains("Catalog Error: Table with name");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Uses the target's connection: call it when no load is in progress on it (before a service's
   * triggers start, or between runs).
   */
  @Override
  public synchronized Optional<java.time.Instant> lastTriggered(String pipeline, String trigger) {
    try (PreparedStatement query =
        connection()
            .prepareStatement(
                "SELECT last_run FROM " + triggersTable + " WHERE pipeline = ? AND kind = ?")) {
      query.setString(1, pipeline);
      query.setString(2, trigger);
      Optional<java.time.Instant> found = Optional.empty();
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          found = Optional.of(rows.getTimestamp(1).toLocalDateTime().toInstant(ZoneOffset.UTC));
        }
      }
      connection().commit();
      return found;
    } catch (SQLException e) {
      if (notMadeYet(e)) {
        return Optional.empty();
      }
      throw SqlFailures.of("reading the last run of the " + trigger + " trigger", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Uses the target's connection: call it when no load is in progress on it.
   */
  @Override
  public synchronized void recordTriggered(String pipeline, String trigger, java.time.Instant at) {
    try {
      createWhenMissing(
          triggersTable,
          "pipeline VARCHAR NOT NULL, kind VARCHAR NOT NULL, last_run TIMESTAMP NOT NULL,"
              + " PRIMARY KEY (pipeline, kind)");
    } catch (SQLException e) {
      throw SqlFailures.of("creating the table of triggers' last runs", e);
    }
    try (PreparedStatement upsert =
        connection()
            .prepareStatement(
                "INSERT INTO "
                    + triggersTable
                    + " (pipeline, kind, last_run) VALUES (?, ?, ?) ON CONFLICT (pipeline, kind)"
                    + " DO UPDATE SET last_run = excluded.last_run")) {
      upsert.setString(1, pipeline);
      upsert.setString(2, trigger);
      upsert.setTimestamp(3, utc(at));
      upsert.executeUpdate();
      connection().commit();
    } catch (SQLException e) {
      throw SqlFailures.of("recording the last run of the " + trigger + " trigger", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The table is created on first use, so a pipeline without notifications has none. Uses the
   * target's connection: call it when no load is in progress on it.
   */
  @Override
  public synchronized void recordNotifications(
      String pipeline, String runId, List<io.bucketload.core.notify.Delivered> sent) {
    try {
      createWhenMissing(
          notificationsTable,
          "pipeline VARCHAR NOT NULL, run_id VARCHAR NOT NULL, channel VARCHAR NOT NULL,"
              + " delivered BOOLEAN NOT NULL, error VARCHAR, recorded_at TIMESTAMP NOT NULL");
      try (PreparedStatement insert =
          connection()
              .prepareStatement(
                  "INSERT INTO "
                      + notificationsTable
                      + " (pipeline, run_id, channel, delivered, error, recorded_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
        Timestamp now = utc(java.time.Instant.now());
        for (io.bucketload.core.notify.Delivered one : sent) {
          insert.setString(1, pipeline);
          insert.setString(2, runId);
          insert.setString(3, one.channel());
          insert.setBoolean(4, one.delivered());
          insert.setString(5, one.error().orElse(null));
          insert.setTimestamp(6, now);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      connection().commit();
    } catch (SQLException e) {
      throw SqlFailures.of("recording the notifications of run " + runId, e);
    }
  }

  @Override
  public synchronized java.util.Map<String, List<io.bucketload.core.notify.Delivered>>
      notifications(String pipeline, java.util.Collection<String> runIds) {
    java.util.Map<String, List<io.bucketload.core.notify.Delivered>> found =
        new java.util.HashMap<>();
    if (runIds.isEmpty()) {
      return found;
    }
    String marks = String.join(", ", java.util.Collections.nCopies(runIds.size(), "?"));
    try (PreparedStatement query =
        connection()
            .prepareStatement(
                "SELECT run_id, channel, delivered, error FROM "
                    + notificationsTable
                    + " WHERE pipeline = ? AND run_id IN ("
                    + marks
                    + ") ORDER BY recorded_at, channel")) {
      query.setString(1, pipeline);
      int index = 2;
      for (String runId : runIds) {
        query.setString(index++, runId);
      }
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          found
              .computeIfAbsent(rows.getString(1), run -> new ArrayList<>())
              .add(
                  new io.bucketload.core.notify.Delivered(
                      rows.getString(2),
                      rows.getBoolean(3),
                      Optional.ofNullable(rows.getString(4))));
        }
      }
      connection().commit();
      return found;
    } catch (SQLException e) {
      if (notMadeYet(e)) {
        return found;
      }
      throw SqlFailures.of("reading the notifications of runs", e);
    }
  }

  private static List<LedgerEntry> read(PreparedStatement query) throws SQLException {
    List<LedgerEntry> entries = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        entries.add(entry(rows));
      }
    }
    return entries;
  }

  /** The entry at the current row of {@code rows}, which holds {@link #COLUMNS}. */
  private static LedgerEntry entry(ResultSet rows) throws SQLException {
    LoadCounts counts =
        new LoadCounts(
            rows.getLong("rows_loaded"),
            count(rows, "inserted"),
            count(rows, "updated"),
            count(rows, "unchanged"),
            count(rows, "deleted"));
    return new LedgerEntry(
        rows.getString("pipeline"),
        rows.getString("run_id"),
        new FileVersion(rows.getString("file"), rows.getLong("size"), rows.getString("checksum")),
        FileStatus.valueOf(rows.getString("status").toUpperCase(Locale.ROOT)),
        rows.getTimestamp("started_at").toLocalDateTime().toInstant(ZoneOffset.UTC),
        rows.getTimestamp("finished_at").toLocalDateTime().toInstant(ZoneOffset.UTC),
        rows.getLong("rows_read"),
        rows.getLong("rows_rejected"),
        counts,
        Optional.ofNullable(rows.getString("error")),
        Optional.ofNullable(rows.getString("fault"))
            .map(fault -> Fault.valueOf(fault.toUpperCase(Locale.ROOT))),
        Objects.requireNonNullElse(rows.getString("definition"), ""),
        Objects.requireNonNullElse(rows.getString("run_trigger"), ""));
  }

  private static OptionalLong count(ResultSet rows, String column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
  }

  private Connection connection() {
    return connections.get();
  }

  /** The statement selecting the ledger's entries, {@code rest} following its table. */
  private PreparedStatement preparedEntries(String rest) throws SQLException {
    return prepared("SELECT " + COLUMNS + " FROM " + table + rest);
  }

  /** The statement of {@code sql} on the current connection, kept (see {@link #prepared}). */
  private PreparedStatement prepared(String sql) throws SQLException {
    return prepared.on(connection(), sql);
  }
}
