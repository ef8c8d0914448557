package io.bucketload.jdbc.postgres;

import static io.bucketload.jdbc.SqlIdentifiers.quote;

import io.bucketload.core.target.RowStage;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.jdbc.SqlFailures;
import io.bucketload.jdbc.SqlIdentifiers;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file's stage on PostgreSQL ({@link RowStage}): an {@code UNLOGGED} table of the target's schema
 * named {@code bucketload_stage_} and 16 random hex digits, with the load's columns (for rows that
 * go straight into the table, of the types the table has and {@code NOT NULL} where it is, so that
 * a value the table would refuse is refused while a part is written, naming its line) and, per row,
 * its line in the file and the part and attempt that wrote it. Executors write it ({@link
 * PostgresStageWriter}), each part in its own transaction; the load takes the rows of the attempts
 * it accepted into its own transaction.
 *
 * <p>The stage lives on a connection of its own (the load's is busy with its COPY), whose
 * session-level advisory lock on the stage's name says it is in use. A stage whose lock no session
 * holds was left by a process that died before it could drop it: the next stage opened in the
 * schema drops it. The stage is dropped when the load's transaction ends, committed or not ({@link
 * #close()}).
 */
final class PostgresStage implements AutoCloseable {
  /** The first part of every stage's name. */
  static final String PREFIX = "bucketload_stage_";

  /** The line of each row in its file. */
  static final String LINE = "__bucketload_line";

  /** The index of the part each row is in. */
  static final String PART = "__bucketload_part";

  /** The attempt at the part that wrote each row. */
  static final String ATTEMPT = "__bucketload_attempt";

  /** The first key of the advisory locks of stages ("bls" + 1); the second is the name's hash. */
  private static final int LOCK_SPACE = 0x626c7301;

  private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "[0-9a-f]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = LoggerFactory.getLogger(PostgresStage.class);

  private final Connection connection;
  private final String schema;
  private final RowStage stage;
  private boolean closed;

  private PostgresStage(Connection connection, String schema, RowStage stage) {
    this.connection = connection;
    this.schema = schema;
    this.stage = stage;
  }

  /**
   * Opens a stage for {@code file}'s rows of {@code columns} in {@code schema}, after dropping the
   * stages there whose process is gone.
   *
   * @param definitions each column's type and constraint in the stage, e.g. {@code text NOT NULL}
   * @throws io.bucketload.core.error.TargetException when the server fails
   */
  static PostgresStage open(
      PostgresConnector connector,
      String schema,
      String file,
      List<TargetColumn> columns,
      List<String> definitions) {
    Connection connection;
    try {
      connection = connector.open();
    } catch (SQLException e) {
      throw SqlFailures.of("opening a stage for " + file, e);
    }
    try {
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        // A task Spark gave up on may still hold a stage: dropping it waits no longer than this.
        statement.execute("SET lock_timeout = '10s'");
      }
      dropAbandoned(connection, schema);
      String name = lockedName(connection, schema);
      RowStage stage = new RowStage(name, file, columns);
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE UNLOGGED TABLE "
                + SqlIdentifiers.qualified(schema, name)
                + " ("
                + java.util.stream.IntStream.range(0, columns.size())
                    .mapToObj(i -> quote(columns.get(i).name()) + " " + definitions.get(i))
                    .collect(Collectors.joining(", "))
                + ", "
                + quote(LINE)
                + " bigint NOT NULL, "
                + quote(PART)
                + " bigint NOT NULL, "
                + quote(ATTEMPT)
                + " bigint NOT NULL)");
      }
      return new PostgresStage(connection, schema, stage);
    } catch (SQLException | RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      if (e instanceof SQLException sql) {
        throw SqlFailures.of("opening a stage for " + file, sql);
      }
      throw (RuntimeException) e;
    }
  }

  /** A new stage name whose lock this connection now holds. */
  private static String lockedName(Connection connection, String schema) throws SQLException {
    for (int tries = 0; ; tries++) {
      byte[] bytes = new byte[8];
      RANDOM.nextBytes(bytes);
      String name = PREFIX + HexFormat.of().formatHex(bytes);
      if (tryLock(connection, schema, name)) {
        return name;
      }
      if (tries == 8) {
        throw new SQLException("no stage name could be locked in schema " + schema);
      }
    }
  }

  /**
   * Drops the stages of {@code schema} that no session holds: their process died before it could
   * drop them.
   */
  private static void dropAbandoned(Connection connection, String schema) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT tablename FROM pg_tables WHERE schemaname = ? AND tablename LIKE ?")) {
      query.setString(1, schema);
      query.setString(2, PREFIX.replace("_", "\\_") + "%");
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
    }
    for (String name : names) {
      if (NAME.matcher(name).matches() && tryLock(connection, schema, name)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, name));
          LOG.info(
              "dropped stage {}.{}, left by a load that ended without dropping it", schema, name);
        } catch (SQLException e) {
          LOG.warn(
              "stage {}.{} left by an earlier load not dropped: {}", schema, name, e.getMessage());
        } finally {
          try {
            unlock(connection, schema, name);
          } catch (SQLException e) {
            // The lock goes with this connection when the stage is dropped.
            LOG.debug("stage lock of {}.{} not let go: {}", schema, name, e.getMessage());
          }
        }
      }
    }
  }

  private static boolean tryLock(Connection connection, String schema, String name)
      throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
      lock.setInt(1, LOCK_SPACE);
      lock.setString(2, schema + "." + name);
      try (ResultSet result = lock.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }

  private static void unlock(Connection connection, String schema, String name)
      throws SQLException {
    try (PreparedStatement unlock =
        connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
      unlock.setInt(1, LOCK_SPACE);
      unlock.setString(2, schema + "." + name);
      unlock.executeQuery().close();
    }
  }

  /** The stage, for the executors. */
  RowStage stage() {
    return stage;
  }

  /** The stage's table, schema and name quoted. */
  String table() {
    return SqlIdentifiers.qualified(schema, stage.name());
  }

  /**
   * Drops the stage and lets its lock go with its connection. Never throws: a stage left behind is
   * dropped by the next one opened in the schema.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (connection;
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + table());
    } catch (SQLException e) {
      LOG.warn(
          "stage {}.{} not dropped ({}); the next stage opened in the schema drops it",
          schema,
          stage.name(),
          e.getMessage());
    }
  }
}
