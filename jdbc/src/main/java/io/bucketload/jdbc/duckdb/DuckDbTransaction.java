package io.bucketload.jdbc.duckdb;

import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.TableLoad;
import io.bucketload.jdbc.JdbcLedger;
import io.bucketload.jdbc.JdbcTransaction;
import io.bucketload.jdbc.ResultText;
import org.duckdb.DuckDBConnection;

/** One DuckDB transaction: appender-based table loads, the pipeline's SQL, the ledger entries. */
final class DuckDbTransaction extends JdbcTransaction {
  private final DuckDBConnection connection;
  private final String schema;
  private final boolean singleThreadedAppends;
  private final boolean directReads;
  private final DuckDbTarget target;
  private DuckDbTableLoad current;

  DuckDbTransaction(
      DuckDBConnection connection,
      JdbcLedger ledger,
      String schema,
      boolean singleThreadedAppends,
      boolean directReads,
      DuckDbTarget target) {
    super(connection, ledger);
    this.connection = connection;
    this.schema = schema;
    this.singleThreadedAppends = singleThreadedAppends;
    this.directReads = directReads;
    this.target = target;
  }

  /** {@inheritDoc} Lets the target close its connection when it is next idle. */
  @Override
  protected void ended() {
    if (current != null) {
      current.restoreThreadsOnceEnded();
    }
    target.transactionEnded();
  }

  /** {@inheritDoc} DuckDB's {@code SET schema}, when the target's is not {@code main}. */
  @Override
  protected java.util.Optional<String> targetSchemaFirst() {
    return schema.equals("main")
        ? java.util.Optional.empty()
        : java.util.Optional.of(
            "SET schema = " + io.bucketload.jdbc.SqlIdentifiers.literal(schema));
  }

  @Override
  protected TableLoad loadTable(LoadPlan plan) {
    current =
        DuckDbTableLoad.begin(
            connection, target.statements(), schema, plan, singleThreadedAppends, directReads);
    return current;
  }

  /**
   * {@inheritDoc} DuckDB's driver writes timestamps and times as Java does ({@code 06:00:00.0},
   * {@code 06:00}); exports write them as DuckDB itself does.
   */
  @Override
  protected ResultText resultText() {
    return ResultText.SQL_TEMPORAL;
  }

  @Override
  protected void abandonLoad() {
    if (current != null) {
      current.abandon();
    }
  }
}
