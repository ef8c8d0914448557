package io.bucketload.aws.dynamodb;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.TableLoad;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One file's rows written to a DynamoDB table. {@code upsert} and {@code append} put items (an item
 * with the same key is replaced); {@code insert_new} puts an item only when its key is new and
 * counts the others as unchanged; {@code merge} updates each item with the file's attributes only
 * (one {@code UpdateItem} per row: an empty value removes its attribute, attributes the file lacks
 * stay); {@code sync} puts every item, then deletes the items whose key the file does not have (it
 * keeps the file's keys to tell: {@link FileKeys}, in memory up to a bound, then on disk). Writes
 * are visible as they happen: the file was validated in full before the first one.
 */
final class DynamoDbTableLoad implements TableLoad {
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTableLoad.class);

  private final DynamoDbTarget target;
  private final LoadPlan plan;
  private final DynamoDbItems items;
  private final DynamoDbWriter writer;
  private final BooleanSupplier claimLost;
  private final FileKeys fileKeys;

  DynamoDbTableLoad(DynamoDbTarget target, LoadPlan plan, BooleanSupplier claimLost) {
    this(target, plan, claimLost, plan.mode() == LoadMode.SYNC ? new FileKeys(plan.table()) : null);
  }

  /**
   * A load whose {@code sync} keeps the file's keys in {@code fileKeys} (tests spill them; null in
   * the other modes).
   */
  DynamoDbTableLoad(
      DynamoDbTarget target, LoadPlan plan, BooleanSupplier claimLost, FileKeys fileKeys) {
    this.target = target;
    this.plan = plan;
    this.items = new DynamoDbItems(plan);
    this.claimLost = claimLost;
    this.fileKeys = fileKeys;
    this.writer = target.writer(plan.table(), operation(plan.mode()), plan.key());
    writer.stopWhen(claimLost);
  }

  private static DynamoDbWriter.Operation operation(LoadMode mode) {
    return switch (mode) {
      case INSERT_NEW -> DynamoDbWriter.Operation.PUT_IF_NEW;
      case MERGE -> DynamoDbWriter.Operation.MERGE;
      default -> DynamoDbWriter.Operation.PUT;
    };
  }

  @Override
  public void write(RowChunk chunk) {
    checkClaim();
    for (int i = 0; i < chunk.size(); i++) {
      Object[] row = chunk.row(i);
      String key = items.keyText(row);
      if (fileKeys != null) {
        fileKeys.add(key);
      }
      try {
        writer.submit(
            key,
            plan.mode() == LoadMode.MERGE ? items.itemWithRemovals(row) : items.item(row),
            chunk.line(i));
      } catch (RuntimeException e) {
        writer.abort();
        throw e;
      }
    }
  }

  private void checkClaim() {
    if (claimLost.getAsBoolean()) {
      writer.abort();
      throw TargetException.system(
          plan.file().key()
              + ": another worker took over this file's claim (its lease ran out); stopping",
          null,
          true);
    }
  }

  /** Stops the writes still queued, as the unit failed. Never throws. */
  void abort() {
    writer.abort();
    if (fileKeys != null) {
      fileKeys.close();
    }
  }

  @Override
  public LoadCounts finish() {
    writer.finish();
    checkClaim();
    long written = writer.written();
    log(writer, "written");
    return switch (plan.mode()) {
      case INSERT_NEW ->
          LoadCounts.exact(written + writer.skipped(), written, 0, writer.skipped(), 0);
      case MERGE ->
          LoadCounts.exact(written, writer.inserted(), writer.updated(), writer.skipped(), 0);
      case SYNC ->
          new LoadCounts(
              written,
              OptionalLong.empty(),
              OptionalLong.empty(),
              OptionalLong.empty(),
              OptionalLong.of(deleteAbsentKeys()));
      default -> LoadCounts.written(written);
    };
  }

  private void log(DynamoDbWriter done, String what) {
    // Counted in the process's registries (serve --listen adds its own; none otherwise).
    io.micrometer.core.instrument.Counter.builder("bucketload_dynamodb_requests")
        .description("Write requests sent to DynamoDB, retries included")
        .tag("table", plan.table())
        .register(io.micrometer.core.instrument.Metrics.globalRegistry)
        .increment(done.requests());
    io.micrometer.core.instrument.Counter.builder("bucketload_dynamodb_throttled")
        .description("Write requests DynamoDB throttled, each retried")
        .tag("table", plan.table())
        .register(io.micrometer.core.instrument.Metrics.globalRegistry)
        .increment(done.throttled());
    if (done.throttled() > 0) {
      LOG.warn(
          "{}: {} item(s) {} in {} request(s); {} throttled and retried",
          plan.table(),
          done.written(),
          what,
          done.requests(),
          done.throttled());
    } else {
      LOG.info(
          "{}: {} item(s) {} in {} request(s)",
          plan.table(),
          done.written(),
          what,
          done.requests());
    }
  }

  /** Deletes the items whose key is not in the file; returns how many. */
  private long deleteAbsentKeys() {
    List<String> keyNames = plan.key();
    Map<String, String> names = new HashMap<>();
    for (int k = 0; k < keyNames.size(); k++) {
      names.put("#k" + k, keyNames.get(k));
    }
    String projection = String.join(", ", names.keySet());
    DynamoDbWriter deletes = target.writer(plan.table(), DynamoDbWriter.Operation.DELETE, keyNames);
    // A sync whose lease ran out must not delete the keys a newer version's load wrote.
    deletes.stopWhen(claimLost);
    try (fileKeys) {
      fileKeys.absentFrom(
          target
              .control()
              .scanPaginator(
                  request ->
                      request
                          .tableName(plan.table())
                          .consistentRead(true)
                          .projectionExpression(projection)
                          .expressionAttributeNames(names))
              .items(),
          items::keyText,
          keyNames,
          (key, item) -> deletes.submit(key, item, 0));
      deletes.finish();
    } catch (SdkException e) {
      deletes.abort();
      throw TargetException.system(
          plan.table() + ": cannot read the table to find absent keys: " + e.getMessage(), e, true);
    } catch (RuntimeException e) {
      deletes.abort();
      throw e;
    }
    log(deletes, "deleted");
    return deletes.written();
  }
}
