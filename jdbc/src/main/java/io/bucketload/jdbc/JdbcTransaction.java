package io.bucketload.jdbc;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.spec.SqlStep;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.SqlSession;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A transaction on a SQL target's connection: table loads (by the subclass), the pipeline's SQL (it
 * is its own {@link SqlSession}), then the ledger entries inserted and everything committed
 * together.
 */
public abstract class JdbcTransaction implements LoadTransaction, SqlSession {
  private final Connection connection;
  private final JdbcLedger ledger;
  private boolean done;

  /**
   * Starts a transaction, discarding anything left uncommitted on the connection.
   *
   * @param connection the target's connection, not in auto-commit mode
   * @param ledger the ledger on the same connection
   */
  protected JdbcTransaction(Connection connection, JdbcLedger ledger) {
    this.connection = connection;
    this.ledger = ledger;
    try {
      connection.rollback();
    } catch (SQLException e) {
      throw SqlFailures.of("starting a transaction", e);
    }
  }

  /** Releases what the table load in progress holds (an appender, a COPY) after a failure. */
  protected abstract void abandonLoad();

  /** {@inheritDoc} Always present: the pipeline's SQL runs on the transaction's connection. */
  @Override
  public Optional<SqlSession> sql() {
    return Optional.of(this);
  }

  @Override
  public void execute(SqlStep step) {
    SqlScripts.execute(connection, step);
  }

  @Override
  public long export(SqlStep query, OutputStream out) {
    return SqlScripts.export(connection, query, out);
  }

  @Override
  public void commit(List<LedgerEntry> entries) {
    try {
      for (LedgerEntry entry : entries) {
        try {
          ledger.insert(entry);
        } catch (SQLException e) {
          if (SqlFailures.isConstraintViolation(e)) {
            throw TargetException.system(
                entry.file().key()
                    + ": another run loaded this version of the file at the same time; nothing"
                    + " was loaded twice",
                e,
                false);
          }
          throw e;
        }
      }
      connection.commit();
      done = true;
    } catch (SQLException e) {
      abort();
      throw SqlFailures.of("committing", e);
    } catch (TargetException e) {
      abort();
      throw e;
    }
  }

  @Override
  public void abort() {
    if (done) {
      return;
    }
    done = true;
    abandonLoad();
    try {
      connection.rollback();
    } catch (SQLException e) {
      // Nothing was committed; the server discards the transaction when the connection ends.
    }
  }

  @Override
  public void close() {
    abort();
  }
}
