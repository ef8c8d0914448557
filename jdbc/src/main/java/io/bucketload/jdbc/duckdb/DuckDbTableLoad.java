package io.bucketload.jdbc.duckdb;

import static io.bucketload.jdbc.SqlIdentifiers.quote;

import io.bucketload.core.error.Fault;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.schema.ColumnNames;
import io.bucketload.core.target.DirectRead;
import io.bucketload.core.target.DirectReadDeclined;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.jdbc.PreparedStatements;
import io.bucketload.jdbc.SqlFailures;
import io.bucketload.jdbc.SqlIdentifiers;
import io.bucketload.jdbc.SqlMerge;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBPreparedStatement;

/**
 * One file's load into a DuckDB table, inside the transaction of a {@link DuckDbTransaction}.
 * {@code append} (and {@code replace} without a key) append straight into the table; the other
 * modes append into a staging table and merge from it at {@link #finish()}, where repeated keys are
 * resolved (the last line wins) and the counts are taken.
 */
final class DuckDbTableLoad implements TableLoad {
  private static final String STAGE = "__bucketload_stage";
  private static final String DEDUP = "__bucketload_dedup";
  private static final String LINE = "__bucketload_line";

  /**
   * DuckDB's pseudo-column of a row's place in its table. When DuckDB's reader fills the staging
   * table, whose rows it inserts in the file's order (DuckDB's documented "Order Preservation"),
   * the merge orders records by it instead of a numbered column: numbering them with {@code
   * row_number() OVER ()} cost a quarter to a third of the read (a window that materializes every
   * row).
   */
  private static final String ROWID = "rowid";

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DuckDbTableLoad.class);

  private final DuckDBConnection connection;
  private final String schema;
  private final LoadPlan plan;
  private final boolean staged;
  private final DuckDBAppender appender;
  private final Lock appenderLock;
  private final int[] appendOrder;
  private final ValueWriter[] writers;
  private final long deletedAtStart;

  /** Whether DuckDB runs on one thread while rows are appended (see {@link #begin}). */
  private final boolean singleThreadedAppends;

  /**
   * Whether DuckDB was set to one thread for the appends, until {@link #restoreThreads}: set by the
   * thread that appends, read by the one that finishes the load after it.
   */
  private volatile boolean threadsLimited;

  private final SqlMerge merge;
  private final String what;
  private long rows;
  private boolean done;
  private final String memoryLimit;
  private final boolean directReads;
  private boolean appenderClosed;
  private boolean readItself;

  /** DuckDB's statement while it reads a file itself, for {@link #stopReading}. */
  private volatile DuckDBPreparedStatement reading;

  /** Set by {@link #stopReading}, also when it comes before DuckDB's statement began. */
  private volatile boolean stopRequested;

  /** Files DuckDB read itself in this process, for tests that check which reader ran. */
  private static final java.util.concurrent.atomic.AtomicLong FILES_READ_DIRECTLY =
      new java.util.concurrent.atomic.AtomicLong();

  private DuckDbTableLoad(
      DuckDBConnection connection,
      String schema,
      LoadPlan plan,
      boolean staged,
      DuckDBAppender appender,
      int[] appendOrder,
      long deletedAtStart,
      boolean singleThreadedAppends,
      boolean onlyPlanColumns,
      String memoryLimit,
      boolean directReads) {
    this.connection = connection;
    this.directReads = directReads;
    this.memoryLimit = memoryLimit;
    this.schema = schema;
    this.plan = plan;
    this.staged = staged;
    this.appender = appender;
    // Chunks are appended by the runner's writer thread and the appender is flushed by the thread
    // that commits: never at the same time (the runner hands over through a queue and a join), but
    // not on the thread that created the appender, which DuckDB checks unless confinement is
    // lifted.
    this.appenderLock = appender.unsafeBreakThreadConfinement();
    this.appendOrder = appendOrder;
    this.writers =
        plan.columns().stream().map(DuckDbTableLoad::writerFor).toArray(ValueWriter[]::new);
    this.deletedAtStart = deletedAtStart;
    this.singleThreadedAppends = singleThreadedAppends;
    this.threadsLimited = oneThreadFromStart(singleThreadedAppends, directReads);
    this.merge = new SqlMerge(new Dialect(onlyPlanColumns));
    this.what = describe(plan);
  }

  /**
   * Starts a load.
   *
   * @param singleThreadedAppends whether to run DuckDB on one thread while rows are appended (its
   *     workers would compete with the parsing thread for the cores; measured 10% faster on two
   *     cores) and on its default threads again for the SQL at commit
   * @param statements the connection's kept statements, for the checks of the table
   * @param directReads whether DuckDB may read a file itself ({@link #readDirectly})
   */
  static DuckDbTableLoad begin(
      DuckDBConnection connection,
      PreparedStatements statements,
      String schema,
      LoadPlan plan,
      boolean singleThreadedAppends,
      boolean directReads) {
    String what = describe(plan);
    try {
      DuckDbTables.Table table = DuckDbTables.ensure(connection, statements, schema, plan);
      // Appends into a keyed table are staged too: DuckDB keeps no key index on the tables
      // bucketload creates (it could not spill one), so the merge checks the key instead.
      boolean staged = plan.mergesByKey() || !plan.key().isEmpty();
      long deleted = 0;
      DuckDBAppender appender;
      int[] order;
      try (Statement statement = connection.createStatement()) {
        if (oneThreadFromStart(singleThreadedAppends, directReads)) {
          statement.execute("SET threads = 1");
        }
        if (staged) {
          statement.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, STAGE));
          statement.execute(
              "CREATE TABLE "
                  + SqlIdentifiers.qualified(schema, STAGE)
                  + " ("
                  + plan.columns().stream()
                      .map(column -> quote(column.name()) + " " + DuckDbTypes.sqlType(column))
                      .collect(Collectors.joining(", "))
                  + ", "
                  + quote(LINE)
                  + " BIGINT)");
          appender = connection.createAppender(schema, STAGE);
          order = new int[plan.columns().size() + 1];
          for (int i = 0; i < order.length; i++) {
            order[i] = i;
          }
        } else {
          if (plan.mode() == LoadMode.REPLACE) {
            deleted =
                statement.executeUpdate(
                    "DELETE FROM " + SqlIdentifiers.qualified(schema, plan.table()));
          }
          appender = connection.createAppender(schema, table.name());
          order = new int[table.columns().size()];
          for (int t = 0; t < order.length; t++) {
            order[t] = -1;
            for (int p = 0; p < plan.columns().size(); p++) {
              if (io.bucketload.core.schema.ColumnNames.same(
                  plan.columns().get(p).name(), table.columns().get(t))) {
                order[t] = p;
              }
            }
          }
        }
      }
      return new DuckDbTableLoad(
          connection,
          schema,
          plan,
          staged,
          appender,
          order,
          deleted,
          singleThreadedAppends,
          table.columns().size() == plan.columns().size(),
          // Read now: after DuckDB ran out of memory the transaction answers no query.
          memoryLimit(connection),
          directReads);
    } catch (SQLException e) {
      throw SqlFailures.of(what, e);
    }
  }

  /**
   * Whether DuckDB runs on one thread from the load's start: every row is appended. A load that
   * DuckDB may read itself sets it at its first rows instead ({@link #write}).
   */
  private static boolean oneThreadFromStart(boolean singleThreadedAppends, boolean directReads) {
    return singleThreadedAppends && !directReads;
  }

  private static String describe(LoadPlan plan) {
    return "loading " + plan.file().key() + " into " + plan.table();
  }

  /** Appends one non-null value of a known column type. */
  @FunctionalInterface
  private interface ValueWriter {
    void append(DuckDBAppender appender, Object value) throws SQLException;
  }

  private static final long MICROS_PER_SECOND = 1_000_000L;

  private static ValueWriter writerFor(TargetColumn column) {
    return switch (column.type()) {
      case STRING -> (appender, value) -> appender.append((String) value);
      case INT -> (appender, value) -> appender.append(((Integer) value).intValue());
      case LONG -> (appender, value) -> appender.append(((Long) value).longValue());
      case DOUBLE -> (appender, value) -> appender.append(((Double) value).doubleValue());
      case BOOLEAN -> (appender, value) -> appender.append(((Boolean) value).booleanValue());
      case DATE ->
          (appender, value) -> appender.appendEpochDays((int) ((LocalDate) value).toEpochDay());
      case TIMESTAMP ->
          (appender, value) -> {
            LocalDateTime timestamp = (LocalDateTime) value;
            appender.appendEpochMicros(
                timestamp.toEpochSecond(ZoneOffset.UTC) * MICROS_PER_SECOND
                    + timestamp.getNano() / 1_000);
          };
      case DECIMAL -> decimalWriter(column.precision());
    };
  }

  /**
   * DuckDB stores a decimal in the smallest integer that holds its precision (16 bits up to 4
   * digits, 32 up to 9, 64 up to 18, 128 beyond) and its appender takes exactly that width.
   */
  private static ValueWriter decimalWriter(int precision) {
    if (precision <= 4) {
      return (appender, value) -> appender.appendDecimal((short) unscaledLong((BigDecimal) value));
    }
    if (precision <= 9) {
      return (appender, value) -> appender.appendDecimal((int) unscaledLong((BigDecimal) value));
    }
    if (precision <= 18) {
      return (appender, value) -> appender.appendDecimal(unscaledLong((BigDecimal) value));
    }
    return (appender, value) -> appender.append((BigDecimal) value);
  }

  /**
   * The unscaled value of a decimal whose scale is the column's (the parser sets it): the long of a
   * scale-0 view of the same digits, which builds no {@code BigInteger} as {@code unscaledValue()}
   * does for every value.
   */
  private static long unscaledLong(BigDecimal value) {
    return value.scaleByPowerOfTen(value.scale()).longValueExact();
  }

  @Override
  public void write(RowChunk chunk) {
    int width = plan.columns().size();
    appenderLock.lock();
    try {
      if (singleThreadedAppends && !threadsLimited) {
        // At the first rows appended, not when the load begins: a file DuckDB reads itself would
        // only have its threads stopped and started again, a few milliseconds of every small file.
        threadsLimited = true; // before: a RESET that is not needed does no harm
        try (Statement statement = connection.createStatement()) {
          statement.execute("SET threads = 1");
        }
      }
      for (int r = 0; r < chunk.size(); r++) {
        Object[] row = chunk.row(r);
        appender.beginRow();
        for (int position : appendOrder) {
          if (position < 0) {
            appender.appendDefault();
          } else if (position == width) {
            appender.append(chunk.line(r));
          } else if (row[position] == null) {
            appender.appendNull();
          } else {
            writers[position].append(appender, row[position]);
          }
        }
        appender.endRow();
      }
      rows += chunk.size();
    } catch (SQLException e) {
      throw explained(e);
    } finally {
      appenderLock.unlock();
    }
  }

  /**
   * {@inheritDoc} DuckDB reads the file with {@code read_csv} on its own threads ({@link
   * DuckDbDirectRead}), into the table or, in the modes that merge by key, into the staging table,
   * when no column is a {@code double} and the file's path is not a pattern.
   */
  @Override
  public boolean readsDirectly(DirectRead read) {
    return directReads
        && rows == 0
        && !GLOB.matcher(read.file().toAbsolutePath().toString()).find()
        && insert(read).isPresent();
  }

  /**
   * What {@code read_csv} takes for a pattern in a file name: such a file is read by bucketload,
   * lest DuckDB read other files that the pattern matches.
   */
  private static final java.util.regex.Pattern GLOB =
      java.util.regex.Pattern.compile("[*?\\[\\]{}]");

  /**
   * DuckDB's statement that reads the file: straight into the table, or, for the modes that merge
   * by key, into the staging table in the file's order, which its row ids keep in place of the
   * lines for the merge (the last record of a key wins).
   */
  private Optional<String> insert(DirectRead read) {
    return staged
        ? DuckDbDirectRead.insert(
            schema,
            STAGE,
            plan.columns(),
            read,
            rowIdShadowed() ? Optional.of(LINE) : Optional.empty())
        : DuckDbDirectRead.insert(schema, plan.table(), plan.columns(), read, Optional.empty());
  }

  /**
   * Whether a loaded column is named {@code rowid} in any case (DuckDB matches names ignoring ASCII
   * case, quoted or not), which hides DuckDB's pseudo-column of the same name in the staging table:
   * the records are then numbered in its line column.
   */
  private boolean rowIdShadowed() {
    return plan.columns().stream().anyMatch(column -> ColumnNames.same(column.name(), ROWID));
  }

  /** What orders the staged rows as the file does: the lines, or DuckDB's row ids. */
  private String stagedOrder() {
    return readItself && !rowIdShadowed() ? ROWID : LINE;
  }

  @Override
  public long readDirectly(DirectRead read, LongConsumer bytesRead) {
    String insert =
        insert(read)
            .orElseThrow(() -> new IllegalStateException("DuckDB does not read " + read.file()));
    long size = sizeOf(read);
    boolean polled = size >= POLLED_FROM_BYTES;
    try {
      closeAppender();
      restoreThreads();
      try (Statement statement = connection.createStatement()) {
        if (polled) {
          statement.execute("SET enable_progress_bar = true");
          statement.execute("SET enable_progress_bar_print = false");
        }
        if (staged) {
          // The records' numbers follow the file's order only while DuckDB keeps it (its
          // default, which a pipeline's own SQL on this connection could have turned off).
          statement.execute("SET preserve_insertion_order = true");
        }
      }
    } catch (SQLException e) {
      throw explained(e);
    }
    try (DuckDBPreparedStatement statement =
        connection.prepareStatement(insert).unwrap(DuckDBPreparedStatement.class)) {
      reading = statement;
      if (stopRequested) {
        throw new DirectReadDeclined(what + ": stopped before DuckDB's reader began", null);
      }
      Optional<ProgressPoll> poll =
          polled ? Optional.of(new ProgressPoll(statement, size, bytesRead)) : Optional.empty();
      try {
        rows = statement.executeLargeUpdate();
      } finally {
        reading = null;
        if (poll.isPresent()) {
          poll.get().stop();
          resetProgress();
        }
      }
      readItself = true;
      return rows;
    } catch (SQLException e) {
      throw new DirectReadDeclined(
          what
              + ": DuckDB's reader stopped: "
              + SqlFailures.firstLine(String.valueOf(e.getMessage())),
          e);
    }
  }

  /**
   * The size from which DuckDB's read of a file is asked how far it is while it reads ({@link
   * ProgressPoll}): a smaller file is usually read before the first poll, half a second in, and its
   * progress is told once it is read. Tracking a read cost a small file three statements and a
   * thread, 1.4-1.7 ms of the 29 ms each of 200 files of 10 rows took (docs/performance.md).
   */
  private static final long POLLED_FROM_BYTES = 8L << 20;

  /**
   * The size of the file DuckDB reads, 0 when it cannot be read (DuckDB's reader then says why).
   */
  private static long sizeOf(DirectRead read) {
    try {
      return Files.size(read.file());
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Turns DuckDB's progress tracking off again; after a failed read the transaction refuses it, and
   * the setting, which costs nothing measurable, stays on.
   */
  private void resetProgress() {
    try (Statement reset = connection.createStatement()) {
      reset.execute("RESET enable_progress_bar");
    } catch (SQLException e) {
      // The read's own outcome is what is reported.
    }
  }

  /** {@inheritDoc} Cancels DuckDB's statement. */
  @Override
  public void stopReading() {
    stopRequested = true;
    DuckDBPreparedStatement statement = reading;
    if (statement != null) {
      try {
        statement.cancel();
      } catch (SQLException e) {
        // The statement ended meanwhile; its outcome is checked as usual.
      }
    }
  }

  /** Asks DuckDB how far a statement is, twice a second, until stopped. */
  private static final class ProgressPoll implements Runnable {
    private static final long INTERVAL_MS = 500;
    private final DuckDBPreparedStatement statement;
    private final long size;
    private final LongConsumer bytesRead;
    private final Thread thread;
    private volatile boolean stopped;

    ProgressPoll(DuckDBPreparedStatement statement, long size, LongConsumer bytesRead) {
      this.statement = statement;
      this.size = size;
      this.bytesRead = bytesRead;
      this.thread = new Thread(this, "bucketload-duckdb-progress");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void run() {
      try {
        while (!stopped) {
          Thread.sleep(INTERVAL_MS);
          double percent = statement.getQueryProgress().getPercentage();
          if (!stopped && percent >= 0) {
            bytesRead.accept((long) (size * Math.min(percent, 100.0) / 100.0));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (SQLException | RuntimeException e) {
        // Progress is only shown; the statement's own outcome is what counts.
      }
    }

    /** Stops the polling and waits for it, so that no progress is told after this returns. */
    void stop() {
      stopped = true;
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How many loads DuckDB read itself ({@link #readDirectly}) and finished in this process. */
  static long filesReadDirectly() {
    return FILES_READ_DIRECTLY.get();
  }

  @Override
  public LoadCounts finish() {
    try {
      closeAppender();
      restoreThreads();
      if (readItself) {
        FILES_READ_DIRECTLY.incrementAndGet();
      }
      LoadCounts counts = staged ? merge() : direct();
      if (staged) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, DEDUP));
          statement.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, STAGE));
        }
      }
      done = true;
      return counts;
    } catch (SQLException e) {
      throw explained(e);
    }
  }

  /**
   * The failure, with what to do about a key the table refused, or about a load that needs more
   * memory than {@code memory_limit}.
   */
  private TargetException explained(SQLException e) {
    if (outOfMemory(e)) {
      // The same file under the same limit fails the same way: final until the file or the
      // pipeline (its memory_limit) changes, not retried on every run as a system failure.
      return TargetException.data(
          what
              + ": DuckDB ran out of target.memory_limit ("
              + memoryLimit
              + ") with "
              + plan.columns().size()
              + " column(s): "
              + SqlFailures.firstLine(String.valueOf(e.getMessage()))
              + (plan.columns().size() >= WIDE
                  ? ". DuckDB holds a block per column while rows are appended, so a wide file"
                      + " needs more: raise target.memory_limit, or load fewer columns (transform:"
                      + " [{drop: [...]}])"
                  : ". Raise target.memory_limit"),
          e);
    }
    TargetException failure = SqlFailures.of(what, e);
    // DuckDB's appender says only "a constraint" (SQLState 23000); in append mode into a keyed
    // table the likely one is the key.
    if (failure.fault() == Fault.DATA
        && "23000".equals(e.getSQLState())
        && plan.mode() == LoadMode.APPEND
        && !plan.key().isEmpty()) {
      return TargetException.data(
          failure.getMessage().replaceAll("\\.+$", "")
              + ". Mode append inserts every row: use upsert or insert_new when a file may repeat"
              + " a key or carry keys already loaded.",
          e);
    }
    return failure;
  }

  /** The columns from which running out of memory is put down to the file's width. */
  private static final int WIDE = 100;

  private static boolean outOfMemory(SQLException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("Out of Memory Error")
        || message.contains("could not allocate block")
        || message.contains("failed to allocate data");
  }

  /** DuckDB's {@code memory_limit} as it shows it ({@code 244.1 MiB} for 256MB). */
  private static String memoryLimit(DuckDBConnection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        java.sql.ResultSet result =
            statement.executeQuery("SELECT current_setting('memory_limit')")) {
      return result.next() ? result.getString(1) : "unknown";
    }
  }

  private LoadCounts direct() {
    return LoadCounts.exact(rows, rows, 0, 0, deletedAtStart);
  }

  /**
   * DuckDB's merge statements. One writer per database file, so the upsert updates then inserts. A
   * {@code sync} into a table holding only the plan's columns rebuilds it from the deduplicated
   * rows (counts first, by queries that spill; then one delete of every row and one insert):
   * updating and deleting millions of rows in place keeps them pinned in memory until the commit
   * (measured: 15.75 M rows against 14.25 M keys fail at 256MB, and load this way).
   */
  private static final class Dialect implements SqlMerge.Dialect {
    private final boolean onlyPlanColumns;

    Dialect(boolean onlyPlanColumns) {
      this.onlyPlanColumns = onlyPlanColumns;
    }

    @Override
    public String createWorkTable(String name) {
      return "CREATE TABLE " + name;
    }

    @Override
    public long[] upsert(Statement statement, SqlMerge.Names names) throws SQLException {
      return SqlMerge.updateThenInsert(statement, names);
    }

    @Override
    public long insertNew(Statement statement, SqlMerge.Names names) throws SQLException {
      return statement.executeUpdate(names.insertAbsent());
    }

    @Override
    public boolean syncByRebuild() {
      return onlyPlanColumns;
    }
  }

  private LoadCounts merge() throws SQLException {
    List<String> names = plan.columns().stream().map(TargetColumn::name).toList();
    List<Integer> key = plan.key().stream().map(names::indexOf).toList();
    SqlMerge.Names merge =
        new SqlMerge.Names(
            SqlIdentifiers.qualified(schema, plan.table()),
            SqlIdentifiers.qualified(schema, STAGE),
            SqlIdentifiers.qualified(schema, DEDUP),
            stagedOrder(),
            names,
            names,
            key);
    try (Statement statement = connection.createStatement()) {
      return this.merge.merge(statement, merge, plan.mode());
    } catch (SqlMerge.KeyCollision e) {
      if (e.where() == SqlMerge.KeyCollision.Where.TABLE_TWICE) {
        throw TargetException.mismatch(
            "table "
                + schema
                + "."
                + plan.table()
                + " holds key \""
                + String.join(", ", e.key())
                + "\" ("
                + String.join(", ", plan.key())
                + ") in more than one row (it was loaded without a key, or by another tool);"
                + " mode "
                + plan.mode().configName()
                + " needs one row per key: remove the repeated rows, or load into another table.");
      }
      if (readItself) {
        // The records DuckDB's reader staged are ordered by their row ids, not numbered by their
        // lines: bucketload's reader, which counts lines, loads the file again and meets the same
        // key.
        throw new DirectReadDeclined(what + ": a duplicate key, to be told with its lines", e);
      }
      List<Long> lines = e.lines();
      throw TargetException.data(
          what
              + ": duplicate key \""
              + String.join(", ", e.key())
              + "\" ("
              + String.join(", ", plan.key())
              + ") "
              + (e.where() == SqlMerge.KeyCollision.Where.TABLE
                  ? "on line " + lines.get(0) + " is already in the table"
                  : "on line " + lines.get(1) + " repeats line " + lines.get(0) + " of the file")
              + ". Mode append inserts every row: use upsert or insert_new when a file may repeat"
              + " a key or carry keys already loaded.",
          e);
    }
  }

  private void restoreThreads() throws SQLException {
    if (threadsLimited) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("RESET threads");
      }
      threadsLimited = false;
    }
  }

  private void closeAppender() throws SQLException {
    appenderLock.lock();
    try {
      if (appenderClosed) {
        return;
      }
      appenderClosed = true;
      // close() flushes too, but drops the flush's error (a duplicate key, a NULL in a NOT NULL
      // column) and the rows with it; flush() reports it.
      appender.flush();
      appender.close();
    } finally {
      appenderLock.unlock();
    }
  }

  /** Releases the appender after a failure; the transaction's rollback discards the rows. */
  void abandon() {
    if (done) {
      return;
    }
    done = true;
    try {
      closeAppender();
    } catch (SQLException | RuntimeException e) {
      // The rollback that follows discards whatever the appender flushed.
    }
    try {
      restoreThreads();
    } catch (SQLException e) {
      // Refused in a failed transaction: restoreThreadsOnceEnded tries again after the rollback.
    }
  }

  /**
   * Once the load's transaction ended, DuckDB's default threads again when the load had set one and
   * could not reset it (a failed transaction refuses the reset before its rollback): the setting is
   * the database's, and a later load that DuckDB reads itself sets nothing. Nothing to do after a
   * commit, whose load reset it as it finished.
   */
  void restoreThreadsOnceEnded() {
    try {
      restoreThreads();
    } catch (SQLException e) {
      LOG.warn("DuckDB's threads could not be reset after a failed load: {}", e.getMessage());
    }
  }
}
