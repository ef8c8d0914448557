package io.bucketload.jdbc.duckdb;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.Target;
import io.bucketload.jdbc.JdbcLedger;
import io.bucketload.jdbc.PreparedStatements;
import io.bucketload.jdbc.SqlFailures;
import io.bucketload.jdbc.SqlIdentifiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DuckDB database file. Holds one connection, closed while {@link #idle()} and opened again at
 * the next use; one transaction at a time. The ledger is the table {@code main.bucketload_ledger}
 * in the same file.
 */
public final class DuckDbTarget implements Target {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbTarget.class);
  private static final long LOCK_POLL_MS = 200;

  /** One object per database file of this process, whose monitor orders changes to its catalog. */
  private static final java.util.concurrent.ConcurrentMap<Path, Path> CATALOG_TURNS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Path path;
  private final String schema;
  private final Properties properties;
  private final Duration wait;
  private final JdbcLedger ledger;

  /** This file's entry of {@link #CATALOG_TURNS}. */
  private final Path catalogTurn;

  private final boolean threadsConfigured;
  private final boolean directReads;
  private DuckDBConnection connection;
  private int transactions;

  /** The kept statements of the connection's loads, for the checks of their tables. */
  private final PreparedStatements statements = new PreparedStatements();

  /**
   * Why the file could not be opened since the last {@link #idle()}: another process held it. The
   * run's other files then wait without waiting for the file again each.
   */
  private TargetException held;

  private DuckDbTarget(
      Path path,
      String schema,
      Properties properties,
      Duration wait,
      boolean threadsConfigured,
      boolean directReads) {
    this.path = path;
    this.directReads = directReads;
    this.schema = schema;
    this.properties = properties;
    this.wait = wait;
    this.catalogTurn = CATALOG_TURNS.computeIfAbsent(path.toAbsolutePath().normalize(), key -> key);
    this.ledger = new JdbcLedger(this::connection, "main", this::writeHistory, catalogTurn);
    this.threadsConfigured = threadsConfigured;
  }

  /**
   * The connection, opened at the first use and again after {@link #idle()} closed it (waiting up
   * to the target's {@code wait} while another process holds the file), with the schema and the
   * ledger's tables made when missing: the file may also have been replaced or removed meanwhile.
   *
   * @throws TargetException when the file cannot be opened; busy when another process held it
   *     longer than {@code wait}
   */
  private synchronized DuckDBConnection connection() {
    if (connection != null) {
      return connection;
    }
    if (held != null) {
      throw held;
    }
    DuckDBConnection opened = null;
    try {
      try {
        opened = connect(path, properties, wait).unwrap(DuckDBConnection.class);
      } catch (TargetException e) {
        if (e.isBusy()) {
          held = e;
        }
        throw e;
      }
      connection = opened; // the ledger makes its tables on it, in auto-commit mode
      // Pipelines of one process share an open file: two making its ledger at once would
      // conflict in DuckDB's catalog ("write-write conflict"), so they take turns.
      synchronized (catalogTurn) {
        try (Statement statement = opened.createStatement()) {
          if (!schema.equals("main")) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));
          }
        }
        ledger.create();
      }
      opened.setAutoCommit(false);
      return opened;
    } catch (SQLException e) {
      connection = null;
      if (opened != null) {
        try {
          opened.close();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        }
      }
      throw SqlFailures.of("opening DuckDB file " + path, e);
    }
  }

  /**
   * {@inheritDoc} Closes the connection, so that other processes ({@code run}, {@code query},
   * DuckDB's own command line) may open the file until the next load; not while a transaction is
   * open.
   */
  @Override
  public void idle() {
    synchronized (ledger) {
      synchronized (this) {
        if (!awaitedForRun) {
          held = null;
        }
        if (connection == null || transactions > 0) {
          return;
        }
        try {
          connection.close();
        } catch (SQLException e) {
          // Committed data is durable; the next use opens a new connection.
        }
        connection = null;
      }
    }
  }

  /**
   * {@inheritDoc} Another process holding the file is asked again, unless {@link #awaitTurn()} has
   * waited for it on behalf of the runs of a service's deliveries, until {@link #turnEnded()}.
   */
  @Override
  public synchronized void runStarts() {
    if (!awaitedForRun) {
      held = null;
    }
  }

  /** Whether {@link #awaitTurn()} has waited for the file since the last {@link #turnEnded()}. */
  private boolean awaitedForRun;

  @Override
  public synchronized void turnEnded() {
    awaitedForRun = false;
    held = null;
  }

  /**
   * {@inheritDoc} Opens the file, waiting up to {@code target.wait} while another process holds it.
   */
  @Override
  public void awaitTurn() {
    try {
      connection();
    } catch (RuntimeException e) {
      // The run reports it: at once when another process held the file, else by trying again.
      LOG.debug("opening {} ahead of a load: {}", path, e.getMessage());
    }
    synchronized (this) {
      awaitedForRun = true;
    }
  }

  @Override
  public synchronized Optional<String> unavailable() {
    return Optional.ofNullable(held).map(busy -> "not tried: " + busy.getMessage());
  }

  /** The kept statements of the connection's loads ({@link DuckDbTableLoad#begin}). */
  PreparedStatements statements() {
    return statements;
  }

  /** A transaction of this target ended, committed or rolled back. */
  synchronized void transactionEnded() {
    transactions--;
  }

  /**
   * The copy of the ledger's latest entries that other processes read while this one holds the file
   * ({@code runs} during a load): {@code <database>.history.parquet}, beside the database.
   */
  static Path historyOf(Path database) {
    return database.resolveSibling(database.getFileName() + ".history.parquet");
  }

  /** How many of the latest ledger entries the history copy keeps. */
  static final int HISTORY_ENTRIES = 1000;

  /**
   * Writes the ledger's latest entries to {@link #historyOf} after a commit, through a temporary
   * file moved into place. Best effort: the ledger in the database is the record; a failure here
   * only leaves the copy older, and is logged.
   */
  private void writeHistory() {
    Path history = historyOf(path);
    Path partial = history.resolveSibling("." + history.getFileName() + ".partial");
    DuckDBConnection connection = connection();
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "COPY (SELECT * FROM main."
              + JdbcLedger.TABLE_NAME
              + " ORDER BY started_at DESC LIMIT "
              + HISTORY_ENTRIES
              + ") TO "
              + SqlIdentifiers.literal(partial.toAbsolutePath().toString())
              + " (FORMAT parquet)");
      connection.commit();
      Files.move(
          partial,
          history,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (SQLException | IOException | RuntimeException e) {
      try {
        // Else the connection stays in the failed transaction, and the next file fails on it.
        connection.rollback();
      } catch (SQLException ignored) {
        // The connection's next use reports it.
      }
      LOG.warn(
          "could not update {} (runs reads it during loads): {}",
          history,
          io.bucketload.jdbc.SqlFailures.firstLine(String.valueOf(e.getMessage())));
    }
  }

  /**
   * The pipeline's latest attempts as of the last commit of the process that holds the database,
   * read from {@link #historyOf}: what {@code runs} shows while a load runs. Empty when there is no
   * such copy.
   */
  public static Optional<List<LedgerEntry>> committedHistory(
      Path database, String pipeline, int limit) {
    Path history = historyOf(database);
    if (!Files.isRegularFile(history)) {
      return Optional.empty();
    }
    try (Connection memory = DriverManager.getConnection("jdbc:duckdb:")) {
      memory.setAutoCommit(false);
      try (Statement statement = memory.createStatement()) {
        statement.execute(
            "CREATE TABLE main."
                + JdbcLedger.TABLE_NAME
                + " AS SELECT * FROM read_parquet("
                + SqlIdentifiers.literal(history.toAbsolutePath().toString())
                + ")");
      }
      JdbcLedger copy = new JdbcLedger(memory, "main");
      copy.create(); // a copy written by an older version gains the columns it lacks
      return Optional.of(copy.history(pipeline, limit));
    } catch (SQLException e) {
      throw SqlFailures.of("reading " + history, e);
    }
  }

  /**
   * Opens (creating when missing) a database file.
   *
   * @param path the file
   * @param schema the schema tables are created in
   * @param memoryLimit DuckDB's {@code memory_limit}, if set
   * @param threads DuckDB's {@code threads}, if set
   * @param wait how long to wait while another process holds the file (DuckDB lets one process
   *     write a file at a time)
   * @throws TargetException when the file cannot be opened; {@link TargetException#isBusy() busy}
   *     when another process held it for longer than {@code wait}
   */
  public static DuckDbTarget open(
      Path path,
      String schema,
      Optional<String> memoryLimit,
      Optional<String> threads,
      Duration wait) {
    return open(path, schema, memoryLimit, threads, wait, true);
  }

  /**
   * Opens (creating when missing) a database file.
   *
   * @param directReads whether DuckDB reads a plain local CSV file itself ({@code read_csv}, each
   *     value checked to be in the form bucketload's parser reads the same way) where the rows go
   *     straight into a table; a file it declines is read by bucketload
   * @see #open(Path, String, Optional, Optional, Duration)
   */
  public static DuckDbTarget open(
      Path path,
      String schema,
      Optional<String> memoryLimit,
      Optional<String> threads,
      Duration wait,
      boolean directReads) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw TargetException.system(
          "cannot create the folder of " + path + ": " + e.getMessage(), e, false);
    }
    Properties properties = new Properties();
    memoryLimit.ifPresent(value -> properties.setProperty("memory_limit", value));
    threads.ifPresent(value -> properties.setProperty("threads", value));
    DuckDbTarget target =
        new DuckDbTarget(path, schema, properties, wait, threads.isPresent(), directReads);
    try {
      target.connection(); // opened now, so that a file that cannot be opened fails the command
      return target;
    } catch (LinkageError | IllegalStateException e) {
      throw TargetException.system(
          "DuckDB's native library could not be loaded ("
              + e
              + "); the file libduckdb_java.so_<os>_<arch> must sit beside bucketload.jar, as the"
              + " build leaves it in app/target/",
          e,
          false);
    }
  }

  /** Opens a connection, waiting up to {@code wait} while another process holds the file. */
  private static Connection connect(Path path, Properties properties, Duration wait)
      throws SQLException {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean told = false;
    while (true) {
      try {
        return DriverManager.getConnection("jdbc:duckdb:" + path.toAbsolutePath(), properties);
      } catch (SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (!message.contains("Could not set lock on file")) {
          throw e;
        }
        String holder = LockHolder.describe(message);
        if (System.nanoTime() - deadline >= 0) {
          throw TargetException.busy(
              holder
                  + " is using "
                  + path
                  + "; try again when it ends"
                  + (wait.isZero() ? "" : " (waited " + wait.toSeconds() + "s)")
                  + ", or wait longer with --wait",
              e);
        }
        if (!told) {
          // A warning, so that the command line says why it seems to stand still.
          LOG.warn(
              "{} is using {}; waiting up to {}s for it to end", holder, path, wait.toSeconds());
          told = true;
        }
        try {
          Thread.sleep(LOCK_POLL_MS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw TargetException.busy(
              "interrupted while waiting for " + holder + " to release " + path, e);
        }
      }
    }
  }

  @Override
  public String describe() {
    return "duckdb " + path;
  }

  /** The database file. */
  public Path path() {
    return path;
  }

  @Override
  public Ledger ledger() {
    return ledger;
  }

  /** {@inheritDoc} DuckDB's ranges of dates and timestamps ({@link DuckDbRanges}). */
  @Override
  public io.bucketload.core.target.RowLimit rowLimit(io.bucketload.core.target.LoadPlan plan) {
    return DuckDbRanges.of(plan);
  }

  @Override
  public LoadTransaction begin() {
    synchronized (this) {
      DuckDbTransaction transaction =
          new DuckDbTransaction(
              connection(), ledger, schema, !threadsConfigured, directReads, this);
      transactions++;
      return transaction;
    }
  }

  /**
   * Up to {@code limit} rows of a table, for previews: each row maps column name to value.
   *
   * @throws TargetException when the table cannot be read
   */
  @Override
  public List<Map<String, Object>> sample(String table, int limit) {
    String sql = "SELECT * FROM " + SqlIdentifiers.qualified(schema, table) + " LIMIT " + limit;
    DuckDBConnection connection = connection();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<Map<String, Object>> out = new ArrayList<>();
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns; i++) {
          row.put(rows.getMetaData().getColumnName(i), rows.getObject(i));
        }
        out.add(row);
      }
      connection.commit();
      return out;
    } catch (SQLException e) {
      throw SqlFailures.of("reading " + table, e);
    }
  }

  /**
   * {@inheritDoc} Removes the folder DuckDB spills to ({@code <database file>.tmp}), which a
   * process that ends mid-load leaves behind; the uncommitted rows are discarded by DuckDB when the
   * file is next opened.
   */
  @Override
  public void abandon() {
    Path scratch = path.resolveSibling(path.getFileName() + ".tmp");
    if (!java.nio.file.Files.isDirectory(scratch)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(scratch)) {
      files
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              file -> {
                try {
                  java.nio.file.Files.deleteIfExists(file);
                } catch (java.io.IOException e) {
                  // Best effort: the process is ending.
                }
              });
    } catch (java.io.IOException | RuntimeException e) {
      // Best effort: the process is ending.
    }
  }

  @Override
  public synchronized void close() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing is best effort: committed data is already durable.
    }
    connection = null;
  }
}
