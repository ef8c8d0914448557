package io.bucketload.jdbc.postgres;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.Target;
import io.bucketload.jdbc.JdbcLedger;
import io.bucketload.jdbc.SqlFailures;
import io.bucketload.jdbc.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;

/**
 * A PostgreSQL schema. Holds one connection; one transaction at a time. The ledger is the table
 * {@code bucketload_ledger} in the same schema.
 *
 * <p>A connection the server closed (a restart, an administrator ending the session, a network
 * failure) is opened again at its next use, so that the files after the one that failed load. When
 * that fails too, every later use fails the same way without trying again: the run's other files
 * fail at once, naming why, and wait for the next run.
 */
public final class PostgresTarget implements Target {
  private final String where;
  private final PostgresConnector connector;
  private final String schema;
  private final JdbcLedger ledger;
  private Connection connection;

  /** Why the connection could not be opened again; then it is not tried again in the run. */
  private TargetException unreachable;

  /** Whether the connection is checked with the server at its next use: a run began. */
  private boolean checkBeforeUse;

  /** How long the check of a kept connection waits for the server's answer. */
  private static final int VALIDATION_SECONDS = 5;

  private PostgresTarget(
      String where, PostgresConnector connector, String schema, Connection connection) {
    this.where = where;
    this.connector = connector;
    this.schema = schema;
    this.connection = connection;
    this.ledger = new JdbcLedger(this::connection, schema, () -> {});
  }

  /** The connection, opened again when the server closed it. */
  private synchronized Connection connection() {
    if (unreachable != null) {
      throw unreachable;
    }
    try {
      boolean usable =
          checkBeforeUse ? connection.isValid(VALIDATION_SECONDS) : !connection.isClosed();
      checkBeforeUse = false;
      if (usable) {
        return connection;
      }
      connection.close();
    } catch (SQLException e) {
      // A connection that cannot tell is opened again.
    }
    try {
      Connection reopened = connector.open();
      try {
        reopened.setAutoCommit(false);
      } catch (SQLException e) {
        reopened.close();
        throw e;
      }
      connection = reopened;
      return reopened;
    } catch (SQLException e) {
      unreachable = SqlFailures.of("connecting again to " + where, e);
      throw unreachable;
    }
  }

  /**
   * {@inheritDoc} A server that could not be reached again is tried again, and the connection kept
   * since the last run (a service's, a warm Lambda's) is checked at its first use: a server that
   * restarted in between ended it without the driver knowing.
   */
  @Override
  public synchronized void runStarts() {
    unreachable = null;
    checkBeforeUse = true;
  }

  /** {@inheritDoc} Checks the kept connection, or opens it again. */
  @Override
  public synchronized void reach() {
    connection();
  }

  @Override
  public synchronized java.util.Optional<String> unavailable() {
    return java.util.Optional.ofNullable(unreachable)
        .map(
            failure ->
                "not tried: the connection to the server was lost during the run and could not be"
                    + " opened again ("
                    + failure.getMessage().replaceFirst("\\.$", "")
                    + "); it loads at the next run");
  }

  /**
   * Connects, creates the schema and the ledger table when missing.
   *
   * @param url the JDBC URL
   * @param properties the driver's connection properties (user, password, TLS)
   * @param schema the schema tables and the ledger are in
   * @throws io.bucketload.core.error.TargetException when the server cannot be reached or refuses
   */
  public static PostgresTarget open(String url, Properties properties, String schema) {
    PostgresConnector connector = new PostgresConnector(url, properties);
    String where = connector.where() + " schema " + schema;
    try {
      Connection connection = connector.open();
      try {
        connection.unwrap(PGConnection.class);
        connection.setAutoCommit(false);
        PostgresTarget target = new PostgresTarget(where, connector, schema, connection);
        target.prepare();
        return target;
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlFailures.of("connecting to " + where, e);
    }
  }

  private void prepare() throws SQLException {
    PostgresLocks.lockUntilCommit(connection, "ledger " + schema);
    boolean exists;
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        exists = rows.next();
      }
    }
    if (!exists) {
      refuseSchemaOfAnotherCase();
    }
    try (Statement statement = connection.createStatement()) {
      if (!exists) {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));
      }
      ledger.create();
      // Two runs that load the same file at the same time both supersede its latest load: the
      // second commit fails here instead of loading it twice. (Entries written before loads were
      // chained have no supersedes and are left out.)
      String ledgerTable = SqlIdentifiers.qualified(schema, JdbcLedger.TABLE_NAME);
      if (!indexExists(JdbcLedger.TABLE_NAME + "_latest")) {
        statement.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS "
                + SqlIdentifiers.quote(JdbcLedger.TABLE_NAME + "_latest")
                + " ON "
                + ledgerTable
                + " (pipeline, file, supersedes) WHERE status = 'loaded' AND supersedes IS NOT NULL");
      }
      // The index of earlier releases allowed one load per version ever, so content that went back
      // to an earlier version could not load again.
      if (indexExists(JdbcLedger.TABLE_NAME + "_loaded")) {
        statement.execute(
            "DROP INDEX IF EXISTS "
                + SqlIdentifiers.qualified(schema, JdbcLedger.TABLE_NAME + "_loaded"));
      }
    }
    connection.commit();
  }

  /**
   * Refuses to create {@code Staging} beside an existing {@code staging}: bucketload quotes names,
   * so they keep their case, where SQL written without quotes folds them to lower case. A second
   * schema differing in case only is almost always a mistake.
   */
  private void refuseSchemaOfAnotherCase() throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT nspname FROM pg_namespace WHERE lower(nspname) = lower(?) ORDER BY 1")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          throw new io.bucketload.core.error.ConfigException(
              "target.schema: '"
                  + schema
                  + "' does not exist, but '"
                  + rows.getString(1)
                  + "' does; bucketload keeps a name's case (it quotes names), so it would"
                  + " create a second schema: write schema: "
                  + rows.getString(1));
        }
      }
    }
  }

  private boolean indexExists(String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT 1 FROM pg_indexes WHERE schemaname = ? AND indexname = ?")) {
      query.setString(1, schema);
      query.setString(2, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  @Override
  public String describe() {
    return "postgres " + where;
  }

  @Override
  public Ledger ledger() {
    return ledger;
  }

  @Override
  public LoadTransaction begin() {
    return new PostgresTransaction(connection(), connector, ledger, schema);
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing is best effort: committed data is already durable.
    }
  }
}
