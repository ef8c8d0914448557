package io.bucketload.jdbc;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.spec.SqlStep;
import io.bucketload.core.target.FileClaimedException;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.SqlSession;
import io.bucketload.core.target.TableLoad;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A transaction on a SQL target's connection: table loads (by the subclass), the pipeline's SQL (it
 * is its own {@link SqlSession}), then the ledger entries inserted and everything committed
 * together.
 */
public abstract class JdbcTransaction implements LoadTransaction, SqlSession {
  private final Connection connection;
  private final JdbcLedger ledger;
  private final Map<String, String> supersedes = new HashMap<>();
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

  /**
   * How this database's query results become text in exports: the driver's text by default.
   *
   * @return the text forms of exported values
   */
  protected ResultText resultText() {
    return ResultText.DRIVER;
  }

  /** Releases what the table load in progress holds (an appender, a COPY) after a failure. */
  protected abstract void abandonLoad();

  /**
   * Called once the transaction ended, committed or rolled back: releases what lives beyond it (a
   * stage). Never throws. Does nothing by default.
   */
  protected void ended() {}

  /** Starts writing one file's rows to its table. */
  protected abstract TableLoad loadTable(LoadPlan plan);

  @Override
  public final TableLoad load(LoadPlan plan) {
    supersedes.put(plan.file().key(), plan.supersedes());
    return plan.columns().isEmpty() ? TableLoad.none() : loadTable(plan);
  }

  /** {@inheritDoc} Always present: the pipeline's SQL runs on the transaction's connection. */
  @Override
  public Optional<SqlSession> sql() {
    return Optional.of(this);
  }

  @Override
  public void execute(SqlStep step) {
    SqlScripts.execute(connection, step);
  }

  /**
   * The statement that makes unqualified names resolve in the target's schema first, run before a
   * person's query: for the rest of the transaction on PostgreSQL, for the rest of the connection
   * on DuckDB (whose {@code query} command closes it after); empty when they already do.
   */
  protected Optional<String> targetSchemaFirst() {
    return Optional.empty();
  }

  @Override
  public long query(SqlStep query, OutputStream out) {
    targetSchemaFirst()
        .ifPresent(sql -> execute(new SqlStep(sql, "the target's schema (target.schema)")));
    return export(query, out);
  }

  @Override
  public long export(SqlStep query, OutputStream out) {
    return SqlScripts.export(connection, query, out, resultText());
  }

  /** The failure with the detail line of the server's message (PostgreSQL's {@code Detail:}). */
  private static TargetException withDetail(TargetException failure, SQLException e) {
    String message = String.valueOf(e.getMessage());
    int detail = message.indexOf("\n  Detail: ");
    if (detail < 0 || failure.fault() != io.bucketload.core.error.Fault.DATA) {
      return failure;
    }
    String line = message.substring(detail + 11).lines().findFirst().orElse("").strip();
    return TargetException.data(failure.getMessage().replaceAll("\\.+$", "") + ". " + line, e);
  }

  @Override
  public void commit(List<LedgerEntry> entries) {
    try {
      for (LedgerEntry entry : entries) {
        String superseded = supersedes.getOrDefault(entry.file().key(), "");
        try {
          ledger.insertLoad(entry, superseded);
        } catch (SQLException e) {
          if (SqlFailures.isConstraintViolation(e)) {
            throw new FileClaimedException(
                entry.file().key()
                    + ": another run loaded the file at the same time; this load is not committed");
          }
          throw e;
        }
      }
      connection.commit();
      done = true;
      try {
        ledger.committed();
      } finally {
        ended();
      }
    } catch (SQLException e) {
      abort();
      // A constraint checked at the commit (DEFERRABLE INITIALLY DEFERRED) names no file: the
      // commit's files, and the server's detail (which key), say what it refused.
      String files =
          entries.stream()
              .map(entry -> entry.file().key())
              .collect(java.util.stream.Collectors.joining(", "));
      TargetException failure =
          withDetail(SqlFailures.of(files.isEmpty() ? "committing" : "committing " + files, e), e);
      if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        // The connection broke during the commit: the server may have committed before it did.
        throw TargetException.system(
            failure.getMessage()
                + " (the connection broke during the commit, whose outcome is not known: the next"
                + " run finds it in the ledger, and skips the file if it committed)",
            e,
            true);
      }
      throw failure;
    } catch (TargetException | FileClaimedException e) {
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
    ended();
  }

  @Override
  public void close() {
    abort();
  }
}
