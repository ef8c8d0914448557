package io.bucketload.aws.dynamodb;

import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowLimit;
import io.bucketload.core.target.Target;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB target. Two clients: one for the ledger and table checks, with the SDK's retries, and
 * one for item writes without them, so that the writer sees each throttle and adapts its
 * concurrency. Writes are visible before the commit, so files are validated in full first.
 */
public final class DynamoDbTarget implements Target {
  private final DynamoDbClient control;
  private final DynamoDbClient writes;
  private final DynamoDbLedger ledger;
  private final DynamoDbTargetFactory.Options options;
  private final AdaptiveConcurrency batchConcurrency;
  private final AdaptiveConcurrency itemConcurrency;
  private final WriteRate rate;
  private final Map<String, Boolean> checkedTables = new ConcurrentHashMap<>();

  /** Tables {@link #check} found fit for the plans' keys (or missing and allowed to be made). */
  private final java.util.Set<String> fitTables = ConcurrentHashMap.newKeySet();

  DynamoDbTarget(
      DynamoDbClient control,
      DynamoDbClient writes,
      DynamoDbLedger ledger,
      DynamoDbTargetFactory.Options options) {
    this.control = control;
    this.writes = writes;
    this.ledger = ledger;
    this.options = options;
    this.batchConcurrency = new AdaptiveConcurrency(options.batchConcurrency());
    this.itemConcurrency = new AdaptiveConcurrency(options.itemConcurrency());
    this.rate = new WriteRate(options.maxWriteRate());
  }

  @Override
  public String describe() {
    return "DynamoDB" + options.endpoint().map(endpoint -> " at " + endpoint).orElse("");
  }

  @Override
  public Ledger ledger() {
    return ledger;
  }

  DynamoDbLedger dynamoDbLedger() {
    return ledger;
  }

  DynamoDbClient control() {
    return control;
  }

  @Override
  public boolean writesBeforeCommit() {
    return true;
  }

  @Override
  public RowLimit rowLimit(LoadPlan plan) {
    return DynamoDbTargetFactory.rowLimitOf(plan);
  }

  /**
   * {@inheritDoc} An existing table must have the plan's key; a missing one must be allowed to be
   * made ({@code target.create_table}). Asks DynamoDB once per table and target.
   */
  @Override
  public void check(LoadPlan plan) {
    if (plan.columns().isEmpty()
        || checkedTables.containsKey(plan.table())
        || fitTables.contains(plan.table())) {
      return;
    }
    DynamoDbTables.check(control, plan.table(), DynamoDbTables.keyOf(plan), options.createTable());
    fitTables.add(plan.table());
  }

  /** Makes sure the plan's table exists with its key, once per table and target. */
  void ensureTable(LoadPlan plan) {
    List<DynamoDbTables.KeyAttribute> key = DynamoDbTables.keyOf(plan);
    checkedTables.computeIfAbsent(
        plan.table(),
        table -> {
          DynamoDbTables.ensure(control, table, key, options.createTable());
          return true;
        });
  }

  DynamoDbWriter writer(String table, DynamoDbWriter.Operation operation, List<String> keyNames) {
    return new DynamoDbWriter(
        writes,
        table,
        operation,
        keyNames,
        options.concurrencyFor(operation),
        operation.oneItemPerRequest() ? itemConcurrency : batchConcurrency,
        rate,
        Backoff.WRITES,
        "bucketload-dynamodb-" + table);
  }

  @Override
  public LoadTransaction begin() {
    return new DynamoDbTransaction(this);
  }

  @Override
  public void close() {
    control.close();
    writes.close();
  }
}
