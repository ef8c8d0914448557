package io.bucketload.jdbc.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * PostgreSQL advisory locks that serialise what two bucketload runs must not do at the same time
 * (create the same schema, ledger or table), where {@code IF NOT EXISTS} alone still lets the
 * second fail on the catalog's unique index.
 */
final class PostgresLocks {
  private PostgresLocks() {}

  /**
   * Takes the lock named {@code what} for the current transaction, waiting while another holds it.
   */
  static void lockUntilCommit(Connection connection, String what) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      lock.setString(1, "bucketload " + what);
      lock.execute();
    }
  }
}
