package io.bucketload.aws.dynamodb;

import io.bucketload.core.error.Fault;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.FileClaimedException;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The ledger in a DynamoDB table ({@code target.ledger_table}, default {@code bucketload_ledger},
 * partition key {@code pk}, sort key {@code sk}). Each file version has one item, keyed by the
 * pipeline and the version, that a worker claims with a conditional write before its first item
 * write: the claim holds a lease, renewed while the load runs, and becomes {@code LOADED} with the
 * counts when the load completes. A second worker finds the claim held and waits; a claim whose
 * lease ran out (its worker died) is taken over. Every attempt, loaded or failed, also adds a
 * history item. Thread-safe.
 */
public final class DynamoDbLedger implements Ledger {
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbLedger.class);
  static final String CLAIMED = "CLAIMED";

  private final DynamoDbClient client;
  private final String table;
  private final Clock clock;
  private final Duration lease;

  /**
   * Creates the ledger over an existing table (see {@link DynamoDbTables#ensureLedger}).
   *
   * @param client the client
   * @param table the ledger table
   * @param clock the time source for leases
   * @param lease how long a claim holds without renewal
   */
  public DynamoDbLedger(DynamoDbClient client, String table, Clock clock, Duration lease) {
    this.client = client;
    this.table = table;
    this.clock = clock;
    this.lease = lease;
  }

  /** How long a claim holds without renewal. */
  public Duration lease() {
    return lease;
  }

  /** The time leases are measured with, in epoch milliseconds. */
  long now() {
    return clock.millis();
  }

  private static Map<String, AttributeValue> versionKey(String pipeline, FileVersion version) {
    return itemKey(pipeline, "file#", version);
  }

  private static Map<String, AttributeValue> itemKey(
      String pipeline, String kind, FileVersion version) {
    return Map.of(
        "pk",
        AttributeValue.fromS(pipeline),
        "sk",
        AttributeValue.fromS(kind + version.key() + "#" + version.checksum()));
  }

  /** The key of the item holding the last data failure of a version. */
  private static Map<String, AttributeValue> failureKey(String pipeline, FileVersion version) {
    return itemKey(pipeline, "failed#", version);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A loaded version's claim item says {@code LOADED}; a data failure is kept in an item of its
   * own, replaced by each later one. A load, once committed, wins over any failure.
   */
  @Override
  public Optional<LedgerEntry> findFinal(String pipeline, FileVersion version) {
    Map<String, AttributeValue> item = get(versionKey(pipeline, version));
    if (!item.isEmpty() && FileStatus.LOADED.name().equals(text(item, "status"))) {
      return Optional.of(entry(pipeline, item));
    }
    Map<String, AttributeValue> failed = get(failureKey(pipeline, version));
    return failed.isEmpty()
        ? Optional.empty()
        : Optional.of(entry(pipeline, failed)).filter(LedgerEntry::failedOnData);
  }

  private Map<String, AttributeValue> get(String pipeline, FileVersion version) {
    return get(versionKey(pipeline, version));
  }

  private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
    try {
      return client
          .getItem(request -> request.tableName(table).key(key).consistentRead(true))
          .item();
    } catch (SdkException e) {
      throw failure("cannot read the ledger", e);
    }
  }

  /**
   * Claims a file version for {@code owner}: succeeds when no one claimed it, or when the claim of
   * another owner ran out of lease.
   *
   * @throws FileClaimedException when another worker holds the claim, or loaded the version since
   */
  public void claim(String pipeline, FileVersion version, String runId, String owner) {
    long now = clock.millis();
    Map<String, AttributeValue> item = new HashMap<>(versionKey(pipeline, version));
    item.put("status", AttributeValue.fromS(CLAIMED));
    item.put("owner", AttributeValue.fromS(owner));
    item.put("run_id", AttributeValue.fromS(runId));
    item.put("lease_until", AttributeValue.fromN(Long.toString(now + lease.toMillis())));
    try {
      client.putItem(
          request ->
              request
                  .tableName(table)
                  .item(item)
                  .conditionExpression(
                      "attribute_not_exists(pk) OR (#status = :claimed AND lease_until < :now)")
                  .expressionAttributeNames(Map.of("#status", "status"))
                  .expressionAttributeValues(
                      Map.of(
                          ":claimed",
                          AttributeValue.fromS(CLAIMED),
                          ":now",
                          AttributeValue.fromN(Long.toString(now)))));
    } catch (ConditionalCheckFailedException e) {
      Map<String, AttributeValue> held = get(pipeline, version);
      if (FileStatus.LOADED.name().equals(text(held, "status"))) {
        throw new FileClaimedException(
            version.key()
                + ": loaded meanwhile by another worker (run "
                + text(held, "run_id")
                + ")");
      }
      throw new FileClaimedException(
          version.key()
              + ": being loaded by another worker (run "
              + text(held, "run_id")
              + ", claim held until "
              + Instant.ofEpochMilli(number(held, "lease_until"))
              + ")");
    } catch (SdkException e) {
      throw failure("cannot claim " + version.key() + " in the ledger", e);
    }
  }

  /**
   * Extends the lease of a claim this owner holds.
   *
   * @return false when the claim is no longer this owner's (another worker took it over)
   * @throws TargetException when the ledger cannot be reached
   */
  public boolean renew(String pipeline, FileVersion version, String owner) {
    try {
      client.updateItem(
          request ->
              request
                  .tableName(table)
                  .key(versionKey(pipeline, version))
                  .updateExpression("SET lease_until = :until")
                  .conditionExpression("#owner = :owner AND #status = :claimed")
                  .expressionAttributeNames(Map.of("#owner", "owner", "#status", "status"))
                  .expressionAttributeValues(
                      Map.of(
                          ":until",
                          AttributeValue.fromN(Long.toString(clock.millis() + lease.toMillis())),
                          ":owner",
                          AttributeValue.fromS(owner),
                          ":claimed",
                          AttributeValue.fromS(CLAIMED))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw failure("cannot renew the claim on " + version.key(), e);
    }
  }

  /**
   * Turns this owner's claim into the record of a successful load, and adds it to the history.
   *
   * @throws TargetException when the claim is no longer this owner's
   */
  public void markLoaded(LedgerEntry entry, String owner) {
    Map<String, AttributeValue> values = attributes(entry);
    StringBuilder update = new StringBuilder("SET ");
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> bound = new HashMap<>();
    int i = 0;
    for (Map.Entry<String, AttributeValue> value : values.entrySet()) {
      if (i > 0) {
        update.append(", ");
      }
      update.append("#a").append(i).append(" = :v").append(i);
      names.put("#a" + i, value.getKey());
      bound.put(":v" + i, value.getValue());
      i++;
    }
    update.append(" REMOVE lease_until");
    names.put("#owner", "owner");
    bound.put(":owner", AttributeValue.fromS(owner));
    try {
      client.updateItem(
          request ->
              request
                  .tableName(table)
                  .key(versionKey(entry.pipeline(), entry.file()))
                  .updateExpression(update.toString())
                  .conditionExpression("#owner = :owner")
                  .expressionAttributeNames(names)
                  .expressionAttributeValues(bound));
    } catch (ConditionalCheckFailedException e) {
      throw TargetException.system(
          entry.file().key()
              + ": another worker took over this file's claim (its lease ran out); it loads the"
              + " file again, so this load is not recorded",
          e,
          true);
    } catch (SdkException e) {
      throw failure("cannot record the load of " + entry.file().key(), e);
    }
    try {
      addHistory(entry);
    } catch (TargetException e) {
      // The load is recorded; only its line in `bucketload runs` is missing.
      LOG.warn(
          "{}: loaded, but its history entry was not written: {}",
          entry.file().key(),
          e.getMessage());
    }
  }

  /** Gives up this owner's claim, so that another worker may load the version at once. */
  public void release(String pipeline, FileVersion version, String owner) {
    try {
      client.deleteItem(
          request ->
              request
                  .tableName(table)
                  .key(versionKey(pipeline, version))
                  .conditionExpression("#owner = :owner AND #status = :claimed")
                  .expressionAttributeNames(Map.of("#owner", "owner", "#status", "status"))
                  .expressionAttributeValues(
                      Map.of(
                          ":owner",
                          AttributeValue.fromS(owner),
                          ":claimed",
                          AttributeValue.fromS(CLAIMED))));
    } catch (ConditionalCheckFailedException e) {
      // Not ours any more: nothing to give up.
    } catch (SdkException e) {
      LOG.warn(
          "could not release the claim on {} (it expires with its lease): {}",
          version.key(),
          e.getMessage());
    }
  }

  @Override
  public void recordFailure(LedgerEntry entry) {
    // The item that makes a data failure final first: without it the failure would be read again.
    if (entry.failedOnData()) {
      Map<String, AttributeValue> item = attributes(entry);
      item.putAll(failureKey(entry.pipeline(), entry.file()));
      try {
        client.putItem(request -> request.tableName(table).item(item));
      } catch (SdkException e) {
        throw failure("cannot record the failure in the ledger", e);
      }
    }
    addHistory(entry);
  }

  private void addHistory(LedgerEntry entry) {
    Map<String, AttributeValue> item = attributes(entry);
    item.put("pk", AttributeValue.fromS(entry.pipeline()));
    item.put(
        "sk",
        AttributeValue.fromS(
            String.format(
                "run#%013d#%s#%s",
                entry.finishedAt().toEpochMilli(), entry.runId(), entry.file().key())));
    try {
      client.putItem(request -> request.tableName(table).item(item));
    } catch (SdkException e) {
      throw failure("cannot write the ledger's history", e);
    }
  }

  @Override
  public List<LedgerEntry> history(String pipeline, int limit) {
    try {
      List<LedgerEntry> entries = new ArrayList<>();
      for (Map<String, AttributeValue> item :
          client
              .query(
                  request ->
                      request
                          .tableName(table)
                          .keyConditionExpression("pk = :pk AND begins_with(sk, :run)")
                          .expressionAttributeValues(
                              Map.of(
                                  ":pk", AttributeValue.fromS(pipeline),
                                  ":run", AttributeValue.fromS("run#")))
                          .scanIndexForward(false)
                          .limit(limit))
              .items()) {
        entries.add(entry(pipeline, item));
      }
      return entries;
    } catch (SdkException e) {
      throw failure("cannot read the ledger", e);
    }
  }

  private static Map<String, AttributeValue> attributes(LedgerEntry entry) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("status", AttributeValue.fromS(entry.status().name()));
    item.put("run_id", AttributeValue.fromS(entry.runId()));
    item.put("file_key", AttributeValue.fromS(entry.file().key()));
    item.put("checksum", AttributeValue.fromS(entry.file().checksum()));
    item.put("size", number(entry.file().size()));
    item.put("started_at", AttributeValue.fromS(entry.startedAt().toString()));
    item.put("finished_at", AttributeValue.fromS(entry.finishedAt().toString()));
    item.put("rows_read", number(entry.rowsRead()));
    item.put("rows_rejected", number(entry.rowsRejected()));
    item.put("rows_loaded", number(entry.counts().loaded()));
    putOptional(item, "inserted", entry.counts().inserted());
    putOptional(item, "updated", entry.counts().updated());
    putOptional(item, "unchanged", entry.counts().unchanged());
    putOptional(item, "deleted", entry.counts().deleted());
    entry.error().ifPresent(error -> item.put("error", AttributeValue.fromS(error)));
    entry
        .fault()
        .ifPresent(
            fault ->
                item.put("fault", AttributeValue.fromS(fault.name().toLowerCase(Locale.ROOT))));
    item.put("definition", AttributeValue.fromS(entry.definition()));
    return item;
  }

  private static void putOptional(Map<String, AttributeValue> item, String name, OptionalLong v) {
    if (v.isPresent()) {
      item.put(name, number(v.getAsLong()));
    }
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static LedgerEntry entry(String pipeline, Map<String, AttributeValue> item) {
    return new LedgerEntry(
        pipeline,
        text(item, "run_id"),
        new FileVersion(text(item, "file_key"), number(item, "size"), text(item, "checksum")),
        FileStatus.valueOf(text(item, "status")),
        Instant.parse(text(item, "started_at")),
        Instant.parse(text(item, "finished_at")),
        number(item, "rows_read"),
        number(item, "rows_rejected"),
        new LoadCounts(
            number(item, "rows_loaded"),
            optional(item, "inserted"),
            optional(item, "updated"),
            optional(item, "unchanged"),
            optional(item, "deleted")),
        Optional.ofNullable(item.get("error")).map(AttributeValue::s),
        Optional.ofNullable(item.get("fault"))
            .map(AttributeValue::s)
            .map(fault -> Fault.valueOf(fault.toUpperCase(Locale.ROOT))),
        text(item, "definition"));
  }

  private static String text(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.s() == null ? "" : value.s();
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
  }

  private static OptionalLong optional(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null
        ? OptionalLong.empty()
        : OptionalLong.of(Long.parseLong(value.n()));
  }

  private TargetException failure(String what, SdkException e) {
    return TargetException.system(table + ": " + what + ": " + e.getMessage(), e, true);
  }
}
