package io.bucketload.jdbc.postgres;

import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.TableLoad;
import io.bucketload.jdbc.JdbcLedger;
import io.bucketload.jdbc.JdbcTransaction;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * One PostgreSQL transaction: COPY-based table loads, the pipeline's SQL, the ledger entries. The
 * stages its loads opened are dropped once it ends.
 */
final class PostgresTransaction extends JdbcTransaction {
  private final Connection connection;
  private final PostgresConnector connector;
  private final String schema;
  private final List<PostgresStage> stages = new ArrayList<>();
  private PostgresTableLoad current;

  PostgresTransaction(
      Connection connection, PostgresConnector connector, JdbcLedger ledger, String schema) {
    super(connection, ledger);
    this.connection = connection;
    this.connector = connector;
    this.schema = schema;
  }

  /** {@inheritDoc} {@code SET LOCAL search_path}: the target's schema, then {@code public}. */
  @Override
  protected java.util.Optional<String> targetSchemaFirst() {
    return java.util.Optional.of(
        "SET LOCAL search_path TO "
            + io.bucketload.jdbc.SqlIdentifiers.quote(schema)
            + (schema.equals("public") ? "" : ", public"));
  }

  @Override
  protected TableLoad loadTable(LoadPlan plan) {
    current = PostgresTableLoad.begin(connection, connector, stages::add, schema, plan);
    return current;
  }

  @Override
  protected void abandonLoad() {
    if (current != null) {
      current.abandon();
    }
  }

  @Override
  protected void ended() {
    for (PostgresStage stage : stages) {
      stage.close();
    }
    stages.clear();
  }
}
