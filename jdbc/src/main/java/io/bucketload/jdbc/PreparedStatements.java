package io.bucketload.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Statements prepared on one connection, by their text, kept for their next use: DuckDB takes
 * longer to prepare some of the queries a load runs for every file (the ledger's lookups, the
 * catalog's checks) than to run them. When asked for a statement on another connection (the target
 * closed its connection while idle and opened a new one), it lets go of the earlier connection's
 * statements. Not thread-safe: hold its monitor from a statement's first parameter to the end of
 * its results, so that two uses never mix their parameters.
 */
public final class PreparedStatements {
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  /** The connection the statements of {@link #prepared} belong to. */
  private Connection preparedOn;

  /**
   * The statement of {@code sql} on {@code connection}, prepared at its first use there; the caller
   * sets every parameter and closes only the results.
   *
   * @throws SQLException when the statement cannot be prepared
   */
  public PreparedStatement on(Connection connection, String sql) throws SQLException {
    if (connection != preparedOn) {
      for (PreparedStatement statement : prepared.values()) {
        try {
          statement.close();
        } catch (SQLException ignored) {
          // Closed with its connection.
        }
      }
      prepared.clear();
      preparedOn = connection;
    }
    PreparedStatement statement = prepared.get(sql);
    if (statement == null || statement.isClosed()) {
      statement = connection.prepareStatement(sql);
      prepared.put(sql, statement);
    }
    return statement;
  }
}
