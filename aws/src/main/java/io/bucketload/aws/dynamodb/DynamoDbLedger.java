package io.bucketload.aws.dynamodb;

import io.bucketload.core.error.Fault;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.FileClaimedException;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.VersionRecord;
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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The ledger in a DynamoDB table ({@code target.ledger_table}, default {@code bucketload_ledger},
 * partition key {@code pk}, sort key {@code sk}). Each file has one item, keyed by the pipeline and
 * the file, that holds its latest load; a worker claims it with a conditional write before its
 * first item write, on condition that the latest load is still the one it looked up. The claim
 * holds a lease, renewed while the load runs, and its commit replaces the latest load. A second
 * worker finds the claim held, or the latest load changed, and waits; a claim whose lease ran out
 * (its worker died) is taken over. Every attempt, loaded or failed, also adds a history item.
 * Thread-safe.
 */
public final class DynamoDbLedger implements Ledger {
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbLedger.class);
  private static final String FREE = "(attribute_not_exists(#owner) OR lease_until < :now)";

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

  /** The key of the item holding the file's latest load and its claim. */
  private static Map<String, AttributeValue> fileKey(String pipeline, String file) {
    return Map.of(
        "pk", AttributeValue.fromS(pipeline), "sk", AttributeValue.fromS("latest#" + file));
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
   * <p>The file's item holds its latest load; a data failure is kept in an item of its own per
   * version, replaced by each later one. A ledger written before loads were kept per file holds an
   * item per loaded version instead ({@code file#KEY#CHECKSUM}): the newest of them counts as the
   * file's latest load until the file loads again.
   */
  @Override
  public VersionRecord lookup(String pipeline, FileVersion version) {
    Map<String, AttributeValue> item = get(fileKey(pipeline, version.key()));
    Optional<LedgerEntry> latest =
        item.containsKey("run_id") ? Optional.of(entry(pipeline, item)) : Optional.empty();
    if (latest.isEmpty()) {
      latest = legacyLatest(pipeline, version.key());
    }
    Map<String, AttributeValue> failed = get(failureKey(pipeline, version));
    Optional<LedgerEntry> failure =
        failed.isEmpty()
            ? Optional.empty()
            : Optional.of(entry(pipeline, failed)).filter(LedgerEntry::failedOnData);
    return new VersionRecord(version, latest, failure);
  }

  /**
   * The file's newest load in a ledger written before loads were kept per file, where each loaded
   * version has an item of its own ({@code file#KEY#VERSION}).
   */
  private Optional<LedgerEntry> legacyLatest(String pipeline, String file) {
    try {
      return client
          .queryPaginator(
              request ->
                  request
                      .tableName(table)
                      .consistentRead(true)
                      .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                      .expressionAttributeValues(
                          Map.of(
                              ":pk", AttributeValue.fromS(pipeline),
                              ":prefix", AttributeValue.fromS("file#" + file + "#"))))
          .items()
          .stream()
          .filter(item -> FileStatus.LOADED.name().equals(text(item, "status")))
          .filter(item -> file.equals(text(item, "file_key")))
          .map(item -> entry(pipeline, item))
          .max(java.util.Comparator.comparing(LedgerEntry::finishedAt));
    } catch (SdkException e) {
      throw failure("cannot read the ledger", e);
    }
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
   * Claims a file for {@code owner}, to load {@code version} over the load of run {@code
   * supersedes}: succeeds when that is still the file's latest load (or, for an empty {@code
   * supersedes}, the file never loaded) and no one else holds a claim whose lease runs.
   *
   * @throws FileClaimedException when another worker holds the claim, or loaded the file since
   */
  public void claim(
      String pipeline, FileVersion version, String supersedes, String runId, String owner) {
    long now = clock.millis();
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":owner", AttributeValue.fromS(owner));
    values.put(":run", AttributeValue.fromS(runId));
    values.put(":until", AttributeValue.fromN(Long.toString(now + lease.toMillis())));
    values.put(":now", AttributeValue.fromN(Long.toString(now)));
    String latest;
    if (supersedes.isEmpty()) {
      latest = "attribute_not_exists(run_id)";
    } else {
      // A version loaded before loads were kept per file has no latest load in the file's item.
      latest = "(attribute_not_exists(run_id) OR run_id = :seen)";
      values.put(":seen", AttributeValue.fromS(supersedes));
    }
    try {
      client.updateItem(
          request ->
              request
                  .tableName(table)
                  .key(fileKey(pipeline, version.key()))
                  .updateExpression("SET #owner = :owner, claim_run = :run, lease_until = :until")
                  .conditionExpression(latest + " AND " + FREE)
                  .expressionAttributeNames(Map.of("#owner", "owner"))
                  .expressionAttributeValues(values));
    } catch (ConditionalCheckFailedException e) {
      Map<String, AttributeValue> held = get(fileKey(pipeline, version.key()));
      if (held.containsKey("owner") && number(held, "lease_until") >= now) {
        throw new FileClaimedException(
            version.key()
                + ": being loaded by another worker (run "
                + text(held, "claim_run")
                + ", claim held until "
                + Instant.ofEpochMilli(number(held, "lease_until"))
                + ")");
      }
      throw new FileClaimedException(
          version.key()
              + ": loaded meanwhile by another worker (run "
              + text(held, "run_id")
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
                  .key(fileKey(pipeline, version.key()))
                  .updateExpression("SET lease_until = :until")
                  .conditionExpression("#owner = :owner")
                  .expressionAttributeNames(Map.of("#owner", "owner"))
                  .expressionAttributeValues(
                      Map.of(
                          ":until",
                          AttributeValue.fromN(Long.toString(clock.millis() + lease.toMillis())),
                          ":owner",
                          AttributeValue.fromS(owner))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw failure("cannot renew the claim on " + version.key(), e);
    }
  }

  /**
   * Turns this owner's claim into the file's latest load, and adds it to the history.
   *
   * @throws TargetException when the claim is no longer this owner's
   */
  public void markLoaded(LedgerEntry entry, String owner) {
    markLoaded(List.of(entry), owner);
  }

  /**
   * Turns this owner's claims on the files of one unit (a file, or the files of a set) into their
   * latest loads, all or none, in one DynamoDB transaction; then adds them to the history.
   *
   * @throws TargetException when a claim is no longer this owner's: then none is recorded
   */
  public void markLoaded(List<LedgerEntry> entries, String owner) {
    if (entries.size() > MAX_TRANSACTION_ITEMS) {
      throw TargetException.system(
          "a unit of "
              + entries.size()
              + " files cannot be recorded at once; DynamoDB transactions take "
              + MAX_TRANSACTION_ITEMS,
          null,
          false);
    }
    List<TransactWriteItem> items = new ArrayList<>();
    for (LedgerEntry entry : entries) {
      items.add(TransactWriteItem.builder().update(loadedUpdate(entry, owner)).build());
    }
    try {
      client.transactWriteItems(request -> request.transactItems(items));
    } catch (TransactionCanceledException e) {
      List<String> lost = new ArrayList<>();
      for (int i = 0; i < e.cancellationReasons().size() && i < entries.size(); i++) {
        if ("ConditionalCheckFailed".equals(e.cancellationReasons().get(i).code())) {
          lost.add(entries.get(i).file().key());
        }
      }
      if (!lost.isEmpty()) {
        throw TargetException.system(
            String.join(", ", lost)
                + ": another worker took over this file's claim (its lease ran out); it loads the"
                + " file again, so this load is not recorded",
            e,
            true);
      }
      throw failure("cannot record the load of " + keys(entries), e);
    } catch (SdkException e) {
      throw failure("cannot record the load of " + keys(entries), e);
    }
    for (LedgerEntry entry : entries) {
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
  }

  /** The most items one DynamoDB transaction takes. */
  static final int MAX_TRANSACTION_ITEMS = 100;

  private static String keys(List<LedgerEntry> entries) {
    return String.join(", ", entries.stream().map(entry -> entry.file().key()).toList());
  }

  /** The update that turns this owner's claim on the entry's file into its latest load. */
  private Update loadedUpdate(LedgerEntry entry, String owner) {
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
    // The claim goes, and so do attributes of the previous load that this one lacks.
    List<String> removed = new ArrayList<>(List.of("#owner", "claim_run", "lease_until"));
    names.put("#owner", "owner");
    for (String optional : List.of("inserted", "updated", "unchanged", "deleted", "error")) {
      if (!values.containsKey(optional)) {
        removed.add("#r" + optional);
        names.put("#r" + optional, optional);
      }
    }
    update.append(" REMOVE ").append(String.join(", ", removed));
    bound.put(":owner", AttributeValue.fromS(owner));
    return Update.builder()
        .tableName(table)
        .key(fileKey(entry.pipeline(), entry.file().key()))
        .updateExpression(update.toString())
        .conditionExpression("#owner = :owner")
        .expressionAttributeNames(names)
        .expressionAttributeValues(bound)
        .build();
  }

  /** Gives up this owner's claim, so that another worker may load the file at once. */
  public void release(String pipeline, FileVersion version, String owner) {
    try {
      client.updateItem(
          request ->
              request
                  .tableName(table)
                  .key(fileKey(pipeline, version.key()))
                  .updateExpression("REMOVE #owner, claim_run, lease_until")
                  .conditionExpression("#owner = :owner")
                  .expressionAttributeNames(Map.of("#owner", "owner"))
                  .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner))));
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
      return itemsUnder(pipeline, "run#", false, limit).stream()
          .map(item -> entry(pipeline, item))
          .toList();
    } catch (SdkException e) {
      throw failure("cannot read the ledger", e);
    }
  }

  /** The pipeline's items whose sort key starts with {@code prefix}, at most {@code limit}. */
  private List<Map<String, AttributeValue>> itemsUnder(
      String pipeline, String prefix, boolean ascending, int limit) {
    return client
        .query(
            request ->
                request
                    .tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(
                        Map.of(
                            ":pk", AttributeValue.fromS(pipeline),
                            ":prefix", AttributeValue.fromS(prefix)))
                    .scanIndexForward(ascending)
                    .limit(limit))
        .items();
  }

  /** The key of the item holding when a trigger of the pipeline last ran. */
  private static Map<String, AttributeValue> triggerKey(String pipeline, String trigger) {
    return Map.of(
        "pk", AttributeValue.fromS(pipeline), "sk", AttributeValue.fromS("trigger#" + trigger));
  }

  @Override
  public Optional<java.time.Instant> lastTriggered(String pipeline, String trigger) {
    Map<String, AttributeValue> item = get(triggerKey(pipeline, trigger));
    return Optional.ofNullable(item.get("last_run"))
        .map(value -> java.time.Instant.ofEpochMilli(Long.parseLong(value.n())));
  }

  @Override
  public void recordTriggered(String pipeline, String trigger, java.time.Instant at) {
    Map<String, AttributeValue> item = new HashMap<>(triggerKey(pipeline, trigger));
    item.put("last_run", AttributeValue.fromN(Long.toString(at.toEpochMilli())));
    try {
      client.putItem(request -> request.tableName(table).item(item));
    } catch (SdkException e) {
      throw failure("cannot record the last run of the " + trigger + " trigger", e);
    }
  }

  @Override
  public void recordNotifications(
      String pipeline, String runId, List<io.bucketload.core.notify.Delivered> sent) {
    for (int index = 0; index < sent.size(); index++) {
      io.bucketload.core.notify.Delivered one = sent.get(index);
      Map<String, AttributeValue> item = new HashMap<>();
      item.put("pk", AttributeValue.fromS(pipeline));
      item.put("sk", AttributeValue.fromS(String.format("notify#%s#%03d", runId, index)));
      item.put("channel", AttributeValue.fromS(one.channel()));
      item.put("delivered", AttributeValue.fromBool(one.delivered()));
      one.error().ifPresent(error -> item.put("error", AttributeValue.fromS(error)));
      try {
        client.putItem(request -> request.tableName(table).item(item));
      } catch (SdkException e) {
        throw failure("cannot record the notifications of run " + runId, e);
      }
    }
  }

  @Override
  public Map<String, List<io.bucketload.core.notify.Delivered>> notifications(
      String pipeline, java.util.Collection<String> runIds) {
    Map<String, List<io.bucketload.core.notify.Delivered>> found = new HashMap<>();
    for (String runId : new java.util.LinkedHashSet<>(runIds)) {
      try {
        for (Map<String, AttributeValue> item :
            itemsUnder(pipeline, "notify#" + runId + "#", true, 100)) {
          found
              .computeIfAbsent(runId, run -> new ArrayList<>())
              .add(
                  new io.bucketload.core.notify.Delivered(
                      item.get("channel").s(),
                      Boolean.TRUE.equals(item.get("delivered").bool()),
                      Optional.ofNullable(item.get("error")).map(AttributeValue::s)));
        }
      } catch (SdkException e) {
        throw failure("cannot read the notifications of run " + runId, e);
      }
    }
    return found;
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
    if (!entry.trigger().isEmpty()) {
      item.put("run_trigger", AttributeValue.fromS(entry.trigger()));
    }
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
        text(item, "definition"),
        text(item, "run_trigger"));
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
