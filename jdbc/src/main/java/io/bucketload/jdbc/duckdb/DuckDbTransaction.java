package io.bucketload.jdbc.duckdb;

import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.TableLoad;
import io.bucketload.jdbc.JdbcLedger;
import io.bucketload.jdbc.JdbcTransaction;
import org.duckdb.DuckDBConnection;

/** One DuckDB transaction: appender-based table loads, the pipeline's SQL, the ledger entries. */
final class DuckDbTransaction extends JdbcTransaction {
  private final DuckDBConnection connection;
  private final String schema;
  private final boolean singleThreadedAppends;
  private DuckDbTableLoad current;

  DuckDbTransaction(
      DuckDBConnection connection,
      JdbcLedger ledger,
      String schema,
      boolean singleThreadedAppends) {
    super(connection, ledger);
    this.connection = connection;
    this.schema = schema;
    this.singleThreadedAppends = singleThreadedAppends;
  }

  @Override
  protected TableLoad loadTable(LoadPlan plan) {
    current = DuckDbTableLoad.begin(connection, schema, plan, singleThreadedAppends);
    return current;
  }

  @Override
  protected void abandonLoad() {
    if (current != null) {
      current.abandon();
    }
  }
}
