package io.bucketload.jdbc.postgres;

import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.TableLoad;
import io.bucketload.jdbc.JdbcLedger;
import io.bucketload.jdbc.JdbcTransaction;
import java.sql.Connection;

/** One PostgreSQL transaction: COPY-based table loads, the pipeline's SQL, the ledger entries. */
final class PostgresTransaction extends JdbcTransaction {
  private final Connection connection;
  private final String schema;
  private PostgresTableLoad current;

  PostgresTransaction(Connection connection, JdbcLedger ledger, String schema) {
    super(connection, ledger);
    this.connection = connection;
    this.schema = schema;
  }

  @Override
  protected TableLoad loadTable(LoadPlan plan) {
    current = PostgresTableLoad.begin(connection, schema, plan);
    return current;
  }

  @Override
  protected void abandonLoad() {
    if (current != null) {
      current.abandon();
    }
  }
}
