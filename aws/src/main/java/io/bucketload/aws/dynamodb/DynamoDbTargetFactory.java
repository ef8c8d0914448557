package io.bucketload.aws.dynamodb;

import io.bucketload.aws.AwsClients;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.TargetSpec;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.RowLimit;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.TargetFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Opens {@code target.type: dynamodb}. Settings: {@code region}, {@code endpoint}, {@code
 * ledger_table} (default {@code bucketload_ledger}), {@code lease_seconds} (how long a claim holds
 * without renewal, default 300), {@code max_concurrency} (write requests in flight, default 16 for
 * batches, 64 for one item per request), {@code max_write_rate} (items per second, default no cap)
 * and {@code create_table} (default true).
 */
public final class DynamoDbTargetFactory implements TargetFactory {
  /** The ledger table's default name. */
  public static final String DEFAULT_LEDGER_TABLE = "bucketload_ledger";

  static final Set<String> KEYS =
      Set.of(
          "region",
          "endpoint",
          "ledger_table",
          "lease_seconds",
          "max_concurrency",
          "max_write_rate",
          "create_table");

  /**
   * The checked settings.
   *
   * @param endpoint the endpoint override, if any, for descriptions
   * @param ledgerTable the ledger table
   * @param lease how long a claim holds without renewal
   * @param maxConcurrency write requests in flight at most, when set; else {@link #concurrencyFor}
   *     chooses by the kind of request
   * @param maxWriteRate items per second at most, 0 for no cap
   * @param createTable whether missing tables are created
   */
  record Options(
      Optional<String> endpoint,
      String ledgerTable,
      Duration lease,
      OptionalInt maxConcurrency,
      long maxWriteRate,
      boolean createTable) {
    /** Requests in flight at most by default for batches of 25 items. */
    static final int BATCH_CONCURRENCY = 16;

    /**
     * Requests in flight at most by default for one item per request ({@code insert_new}, {@code
     * merge}): each carries one item instead of 25, so more in flight keep about as many items
     * moving across a region's round trip.
     */
    static final int ITEM_CONCURRENCY = 64;

    /** Write requests in flight at most for batches of items. */
    int batchConcurrency() {
      return maxConcurrency.orElse(BATCH_CONCURRENCY);
    }

    /** Write requests in flight at most for requests of one item each. */
    int itemConcurrency() {
      return maxConcurrency.orElse(ITEM_CONCURRENCY);
    }

    /** Write requests in flight at most for {@code operation}'s requests. */
    int concurrencyFor(DynamoDbWriter.Operation operation) {
      return operation.oneItemPerRequest() ? itemConcurrency() : batchConcurrency();
    }
  }

  @Override
  public String type() {
    return "dynamodb";
  }

  /** {@inheritDoc} DynamoDB's: items up to 400 KB, keys DynamoDB can store, numbers in range. */
  @Override
  public RowLimit rowLimit(LoadPlan plan) {
    return rowLimitOf(plan);
  }

  /** DynamoDB's row limit for a plan; a key DynamoDB cannot take fails the file here. */
  static RowLimit rowLimitOf(LoadPlan plan) {
    DynamoDbTables.keyOf(plan);
    return new DynamoDbItems(plan);
  }

  /** {@inheritDoc} Refuses {@code replace}, which DynamoDB cannot do atomically. */
  @Override
  public void check(TargetSpec target, Set<LoadMode> modes) {
    options(target.settings());
    if (modes.contains(LoadMode.REPLACE)) {
      throw new ConfigException(
          "target.mode: replace is not available on DynamoDB, which cannot swap a table's"
              + " contents atomically; use sync (upsert, then delete the items whose keys the file"
              + " lacks)");
    }
  }

  static Options options(Settings settings) {
    settings.allowOnly(KEYS);
    String ledgerTable = settings.get("ledger_table").orElse(DEFAULT_LEDGER_TABLE).trim();
    if (!ledgerTable.matches("[A-Za-z0-9_.-]{3,255}")) {
      throw settings.error(
          "ledger_table", "a DynamoDB table name has 3-255 letters, digits, '_', '-' or '.'");
    }
    boolean createTable = settings.flag("create_table", true);
    return new Options(
        settings.get("endpoint"),
        ledgerTable,
        Duration.ofSeconds(settings.number("lease_seconds", 300, 1, 86_400)),
        settings.get("max_concurrency").isPresent()
            ? OptionalInt.of((int) settings.number("max_concurrency", 0, 1, 256))
            : OptionalInt.empty(),
        settings.number("max_write_rate", 0, 0, 10_000_000),
        createTable);
  }

  @Override
  public Target open(Settings settings) {
    return open(settings, Clock.systemUTC());
  }

  /** Opens the target with a clock for leases. */
  public Target open(Settings settings, Clock clock) {
    Options options = options(settings);
    DynamoDbClient control = AwsClients.configure(DynamoDbClient.builder(), settings).build();
    DynamoDbClient writes =
        AwsClients.configure(
                DynamoDbClient.builder(),
                settings,
                overrides -> overrides.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    try {
      DynamoDbTables.ensureLedger(control, options.ledgerTable());
    } catch (RuntimeException e) {
      control.close();
      writes.close();
      throw e;
    }
    return new DynamoDbTarget(
        control,
        writes,
        new DynamoDbLedger(control, options.ledgerTable(), clock, options.lease()),
        options);
  }
}
