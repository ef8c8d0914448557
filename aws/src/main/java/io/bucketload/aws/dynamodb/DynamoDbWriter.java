package io.bucketload.aws.dynamodb;

import io.bucketload.core.error.TargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes items to one table from several worker threads. Each key always goes to the same worker,
 * which sends its requests in order and retries a request's unprocessed items before its next
 * request: so the last write of a key wins, whatever the parallelism. Within one batch a repeated
 * key keeps its last item, as {@code BatchWriteItem} refuses a batch that names a key twice.
 * Throttled requests are retried with backoff and jitter, and lower the shared concurrency until
 * DynamoDB keeps up. Items are submitted from one thread; {@link #finish()} waits for every write.
 */
final class DynamoDbWriter {
  /** What is done with each item. */
  enum Operation {
    /** {@code PutItem} in batches of 25: creates or replaces. */
    PUT,
    /** {@code PutItem} one by one, only when no item has the key. */
    PUT_IF_NEW,
    /**
     * {@code UpdateItem} one by one: sets the item's attributes, removes those whose value is
     * {@code NULL} in the item, keeps the others; creates the item when its key is new.
     */
    MERGE,
    /** {@code DeleteItem} in batches of 25. */
    DELETE;

    /** Whether each request carries one item, not a batch. */
    boolean oneItemPerRequest() {
      return this == PUT_IF_NEW || this == MERGE;
    }
  }

  static final int BATCH_ITEMS = 25;

  /**
   * Items a worker is handed at a time when each request carries one: fewer than a batch, so that
   * the many workers of those operations hold about as many items as the few of batches.
   */
  static final int ITEM_GROUP = 8;

  /**
   * Items all workers' queues hold at most (16 workers with 4 batches queued each), beside what
   * each worker sends and what is pending for it: the memory queued stays the same however many
   * workers there are (one group each at least).
   */
  static final int QUEUED_ITEMS = 16 * 4 * BATCH_ITEMS;

  private static final Object[] END = new Object[0];

  private final DynamoDbClient client;
  private final String table;
  private final Operation operation;
  private final String partitionKey;
  private final List<String> keyNames;
  private final AdaptiveConcurrency concurrency;
  private final WriteRate rate;
  private final Backoff backoff;
  private final Worker[] workers;
  private final int handOverItems;
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong inserted = new AtomicLong();
  private final AtomicLong updated = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  /**
   * Whether writes must stop before the next request: the unit's claims may be another worker's
   * (see {@link #stopWhen}).
   */
  private volatile java.util.function.BooleanSupplier stop = () -> false;

  /**
   * Stops every worker before its next request once {@code condition} holds, failing the writes: a
   * process that paused past its claim's lease (a long collection, a frozen machine) must not send
   * the batches it had queued over another worker's load of a newer version.
   */
  void stopWhen(java.util.function.BooleanSupplier condition) {
    this.stop = condition;
  }

  /** Fails the writes when {@link #stop} holds; returns whether it did. */
  private boolean stopped() {
    if (!stop.getAsBoolean()) {
      return false;
    }
    failure.compareAndSet(
        null,
        TargetException.system(
            "writing to "
                + table
                + ": this worker's claim may be another's now (its lease ran out); stopped before"
                + " the next write",
            null,
            true));
    return true;
  }

  DynamoDbWriter(
      DynamoDbClient client,
      String table,
      Operation operation,
      List<String> keyNames,
      int workerCount,
      AdaptiveConcurrency concurrency,
      WriteRate rate,
      Backoff backoff,
      String threadName) {
    this.client = client;
    this.table = table;
    this.operation = operation;
    this.keyNames = List.copyOf(keyNames);
    this.partitionKey = keyNames.get(0);
    this.concurrency = concurrency;
    this.rate = rate;
    this.backoff = backoff;
    this.handOverItems = operation.oneItemPerRequest() ? ITEM_GROUP : BATCH_ITEMS;
    int queuedGroups = Math.max(1, QUEUED_ITEMS / (workerCount * handOverItems));
    this.workers = new Worker[workerCount];
    for (int i = 0; i < workerCount; i++) {
      workers[i] = new Worker(queuedGroups);
      Thread thread = new Thread(workers[i]::run, threadName + "-" + i);
      thread.setDaemon(true);
      workers[i].thread = thread;
      thread.start();
    }
  }

  /**
   * Queues an item; blocks while its worker is busy.
   *
   * @param keyText the item's key as text (repeated keys are equal)
   * @param item the item (the key only, for {@link Operation#DELETE})
   * @param line the file line it came from, for messages (0 for none)
   * @throws TargetException when a write already failed
   */
  void submit(String keyText, Map<String, AttributeValue> item, long line) {
    throwIfFailed();
    Worker worker = workers[Math.floorMod(keyText.hashCode(), workers.length)];
    // A conditional put keeps every row: the first of a repeated key wins, the rest are left alone.
    Object slot = operation == Operation.PUT_IF_NEW ? (Object) line : keyText;
    worker.pending.put(slot, new Pending(item, line));
    if (worker.pending.size() >= handOverItems) {
      worker.handOver();
    }
  }

  /**
   * Sends what is left and waits for every worker.
   *
   * @throws TargetException when a write failed
   */
  void finish() {
    try {
      for (Worker worker : workers) {
        if (!worker.pending.isEmpty()) {
          worker.handOver();
        }
        worker.offer(END);
      }
      for (Worker worker : workers) {
        worker.thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
      throw TargetException.system("interrupted while writing to " + table, e, true);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
    throwIfFailed();
  }

  /** Stops the workers without waiting for their queues. Never throws. */
  void abort() {
    failure.compareAndSet(
        null, TargetException.system("the load of " + table + " was stopped", null, true));
    for (Worker worker : workers) {
      worker.queue.clear();
      worker.thread.interrupt();
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (Worker worker : workers) {
      try {
        worker.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void throwIfFailed() {
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  /** Items written (put or deleted). */
  long written() {
    return written.get();
  }

  /** Items a conditional put left alone because their key existed. */
  long skipped() {
    return skipped.get();
  }

  /** Items a merge created (their key was new). */
  long inserted() {
    return inserted.get();
  }

  /** Items a merge changed. */
  long updated() {
    return updated.get();
  }

  /** Requests DynamoDB throttled, wholly or in part, and that were retried. */
  long throttled() {
    return throttled.get();
  }

  /** Requests sent. */
  long requests() {
    return requests.get();
  }

  private record Pending(Map<String, AttributeValue> item, long line) {}

  /** One worker: its own pending batch and queue, sent in order. */
  private final class Worker {
    final Map<Object, Pending> pending = new LinkedHashMap<>();
    final BlockingQueue<Object[]> queue;
    Thread thread;

    Worker(int queuedGroups) {
      this.queue = new ArrayBlockingQueue<>(queuedGroups);
    }

    void handOver() {
      Object[] batch = pending.values().toArray();
      pending.clear();
      offer(batch);
    }

    void offer(Object[] batch) {
      try {
        while (!queue.offer(batch, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          if (failure.get() != null || !thread.isAlive()) {
            throwIfFailed();
            throw TargetException.system(
                "a writer to " + table + " stopped without saying why", null, true);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw TargetException.system("interrupted while writing to " + table, e, true);
      }
    }

    void run() {
      try {
        while (failure.get() == null) {
          Object[] batch = queue.take();
          if (batch == END) {
            return;
          }
          if (stopped()) {
            return;
          }
          List<Pending> items = new ArrayList<>(batch.length);
          for (Object entry : batch) {
            items.add((Pending) entry);
          }
          if (operation.oneItemPerRequest()) {
            for (Pending item : items) {
              writeOne(item);
            }
          } else {
            writeBatch(items);
          }
        }
      } catch (InterruptedException e) {
        failure.compareAndSet(
            null, TargetException.system("interrupted while writing to " + table, e, true));
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      } catch (Throwable e) {
        failure.compareAndSet(
            null,
            TargetException.system(
                "a writer to " + table + " failed: " + e.getClass().getSimpleName(), e, false));
        throw e;
      }
    }
  }

  private void writeBatch(List<Pending> items) throws InterruptedException {
    List<WriteRequest> remaining = new ArrayList<>(items.size());
    for (Pending item : items) {
      remaining.add(request(item.item()));
    }
    int attempt = 0;
    SdkException last = null;
    while (!remaining.isEmpty()) {
      if (failure.get() != null || stopped()) {
        return;
      }
      rate.acquire(remaining.size());
      concurrency.acquire();
      boolean wasThrottled = true;
      try {
        requests.incrementAndGet();
        List<WriteRequest> sent = remaining;
        BatchWriteItemResponse response =
            client.batchWriteItem(request -> request.requestItems(Map.of(table, sent)));
        List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(table, List.of());
        written.addAndGet(sent.size() - unprocessed.size());
        wasThrottled = !unprocessed.isEmpty();
        remaining = unprocessed;
      } catch (AwsServiceException e) {
        if (!retryable(e)) {
          throw refused(e, items);
        }
        last = e;
      } catch (SdkClientException e) {
        last = clientFailure(e);
      } finally {
        concurrency.release(wasThrottled);
      }
      if (!remaining.isEmpty()) {
        throttled.incrementAndGet();
        if (++attempt > backoff.attempts()) {
          throw gaveUp(remaining.size() + " item(s) of a batch", last);
        }
        backoff.pause(attempt);
      }
    }
  }

  private WriteRequest request(Map<String, AttributeValue> item) {
    return operation == Operation.DELETE
        ? WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(item).build()).build()
        : WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
  }

  /**
   * Writes one item with its own request ({@link Operation#PUT_IF_NEW}, {@link Operation#MERGE}).
   */
  private void writeOne(Pending item) throws InterruptedException {
    int attempt = 0;
    SdkException last = null;
    while (failure.get() == null && !stopped()) {
      rate.acquire(1);
      concurrency.acquire();
      boolean wasThrottled = false;
      try {
        requests.incrementAndGet();
        if (operation == Operation.MERGE) {
          merge(item.item());
        } else {
          client.putItem(
              request ->
                  request
                      .tableName(table)
                      .item(item.item())
                      .conditionExpression("attribute_not_exists(#pk)")
                      .expressionAttributeNames(Map.of("#pk", partitionKey)));
        }
        written.incrementAndGet();
        return;
      } catch (ConditionalCheckFailedException e) {
        skipped.incrementAndGet();
        return;
      } catch (AwsServiceException e) {
        if (!retryable(e)) {
          throw refused(e, List.of(item));
        }
        wasThrottled = true;
        last = e;
      } catch (SdkClientException e) {
        wasThrottled = true;
        last = clientFailure(e);
      } finally {
        concurrency.release(wasThrottled);
      }
      throttled.incrementAndGet();
      if (++attempt > backoff.attempts()) {
        throw gaveUp("the item of line " + item.line(), last);
      }
      backoff.pause(attempt);
    }
  }

  /**
   * Sets the item's attributes on the item with its key (created when missing) and removes those
   * whose value is {@code NULL}; counts it inserted, updated or unchanged from the item as it was.
   */
  private void merge(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> key = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    List<String> sets = new ArrayList<>();
    List<String> removes = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      if (keyNames.contains(attribute.getKey())) {
        key.put(attribute.getKey(), attribute.getValue());
        continue;
      }
      names.put("#a" + i, attribute.getKey());
      if (Boolean.TRUE.equals(attribute.getValue().nul())) {
        removes.add("#a" + i);
      } else {
        values.put(":v" + i, attribute.getValue());
        sets.add("#a" + i + " = :v" + i);
      }
      i++;
    }
    StringBuilder update = new StringBuilder();
    if (!sets.isEmpty()) {
      update.append("SET ").append(String.join(", ", sets));
    }
    if (!removes.isEmpty()) {
      update
          .append(update.length() > 0 ? " " : "")
          .append("REMOVE ")
          .append(String.join(", ", removes));
    }
    UpdateItemRequest.Builder request =
        UpdateItemRequest.builder().tableName(table).key(key).returnValues(ReturnValue.ALL_OLD);
    if (update.length() > 0) {
      request.updateExpression(update.toString()).expressionAttributeNames(names);
      if (!values.isEmpty()) {
        request.expressionAttributeValues(values);
      }
    }
    Map<String, AttributeValue> before = client.updateItem(request.build()).attributes();
    if (before == null || before.isEmpty()) {
      inserted.incrementAndGet();
    } else if (unchanged(before, item)) {
      skipped.incrementAndGet();
    } else {
      updated.incrementAndGet();
    }
  }

  /** Whether the item as it was already had the values a merge set and lacked those it removed. */
  private static boolean unchanged(
      Map<String, AttributeValue> before, Map<String, AttributeValue> item) {
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      AttributeValue was = before.get(attribute.getKey());
      boolean remove = Boolean.TRUE.equals(attribute.getValue().nul());
      if (remove ? was != null : !attribute.getValue().equals(was)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A client-side failure worth retrying (a lost connection, a timeout); any other (no credentials,
   * a bad endpoint) fails the load at once with its own message.
   */
  private SdkClientException clientFailure(SdkClientException e) {
    if (e.retryable() || e.getCause() instanceof java.io.IOException) {
      return e;
    }
    throw TargetException.system(table + ": " + e.getMessage(), e, false);
  }

  private TargetException gaveUp(String what, SdkException last) {
    String reason =
        last instanceof AwsServiceException service
            ? describe(service)
            : last == null ? "throttled" : last.getMessage();
    return TargetException.system(
        table
            + ": "
            + what
            + " not written after "
            + backoff.attempts()
            + " retries; the last answer: "
            + reason,
        last,
        true);
  }

  static boolean retryable(AwsServiceException e) {
    if (e.isThrottlingException() || e.statusCode() >= 500) {
      return true;
    }
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    return "ProvisionedThroughputExceededException".equals(code)
        || "RequestLimitExceeded".equals(code)
        || "ThrottlingException".equals(code)
        || "LimitExceededException".equals(code);
  }

  /**
   * A request DynamoDB refused outright. For a batch, finds the item at fault by writing them one
   * at a time, so that the message names its line.
   */
  private RuntimeException refused(AwsServiceException e, List<Pending> items) {
    String reason = describe(e);
    boolean dataFault = e.statusCode() == 400 && "ValidationException".equals(code(e));
    if (!dataFault) {
      return TargetException.system(table + ": " + reason, e, false);
    }
    if (items.size() > 1 && operation == Operation.PUT) {
      for (Pending item : items) {
        try {
          client.putItem(request -> request.tableName(table).item(item.item()));
        } catch (AwsServiceException single) {
          if ("ValidationException".equals(code(single))) {
            return TargetException.data(
                "line " + item.line() + ": DynamoDB refused the item: " + describe(single), single);
          }
        } catch (SdkException ignored) {
          // The batch's own reason is reported below.
        }
      }
    }
    long first = items.get(0).line();
    long last = items.get(items.size() - 1).line();
    String where =
        first <= 0
            ? ""
            : first == last ? "line " + first + ": " : "lines " + first + "-" + last + ": ";
    return TargetException.data(where + "DynamoDB refused the items: " + reason, e);
  }

  private static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
  }

  static String describe(AwsServiceException e) {
    if (e.awsErrorDetails() == null) {
      return e.getMessage();
    }
    return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
  }
}
