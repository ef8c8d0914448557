package io.bucketload.core.run;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a transaction the database rolled back to break a deadlock or a serialization conflict with
 * another transaction from other failures: the same work, tried again, usually goes through, since
 * the other transaction went on. Told by the SQLState of a {@link SQLException} among the failure's
 * causes (every target keeps the database's exception as a cause), never by a message's text.
 */
final class TransactionConflicts {
  private TransactionConflicts() {}

  /**
   * {@code 40001}: serialization failure (SQL standard; PostgreSQL under {@code REPEATABLE READ} or
   * {@code SERIALIZABLE}); {@code 40P01}: deadlock detected (PostgreSQL).
   */
  private static final Set<String> STATES = Set.of("40001", "40P01");

  /** Whether {@code failure}, or one of its causes, is such a rollback. */
  static boolean brokeOff(Throwable failure) {
    // A bounded walk: a chain of causes may loop.
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 64; depth++, cause = cause.getCause()) {
      if (cause instanceof SQLException sql
          && sql.getSQLState() != null
          && STATES.contains(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
