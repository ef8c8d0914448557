package io.bucketload.aws.dynamodb;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.TableLoad;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of work on DynamoDB: each file's version is claimed in the ledger before its first
 * write, the claims' leases are renewed while the unit runs, and the commit turns the claims into
 * loaded entries. An abort gives the claims up so that a retry need not wait for the lease; the
 * items already written stay, and a retry writes them again by key.
 */
final class DynamoDbTransaction implements LoadTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTransaction.class);

  private final DynamoDbTarget target;
  private final String owner = UUID.randomUUID().toString();
  private final List<Claim> claims = new CopyOnWriteArrayList<>();
  private final List<DynamoDbTableLoad> loads = new ArrayList<>();
  private volatile long lastRenewed;
  private ScheduledExecutorService renewer;
  private volatile boolean claimLost;
  private volatile boolean finished;

  private record Claim(String pipeline, FileVersion version) {}

  DynamoDbTransaction(DynamoDbTarget target) {
    this.target = target;
  }

  @Override
  public TableLoad load(LoadPlan plan) {
    if (plan.mode() == LoadMode.REPLACE) {
      throw new ConfigException(
          "target.mode replace is not available on DynamoDB, which cannot swap a table's"
              + " contents at once; use sync (upsert, then delete the keys absent from the file)");
    }
    if (!plan.columns().isEmpty()) {
      target.ensureTable(plan);
    }
    target
        .dynamoDbLedger()
        .claim(plan.pipeline(), plan.file(), plan.supersedes(), plan.runId(), owner);
    claims.add(new Claim(plan.pipeline(), plan.file()));
    lastRenewed = target.dynamoDbLedger().now();
    if (plan.columns().isEmpty()) {
      return TableLoad.none();
    }
    startRenewing();
    DynamoDbTableLoad load = new DynamoDbTableLoad(target, plan, this::claimLost);
    loads.add(load);
    return load;
  }

  /**
   * Whether the claims may no longer be this worker's: another worker took one over, or renewals
   * have failed for most of a lease, so that another worker may take them over at any moment.
   */
  private boolean claimLost() {
    long lease = target.dynamoDbLedger().lease().toMillis();
    return claimLost || target.dynamoDbLedger().now() - lastRenewed > lease - lease / 6;
  }

  private synchronized void startRenewing() {
    if (renewer != null) {
      return;
    }
    long every = Math.max(1, target.dynamoDbLedger().lease().toMillis() / 3);
    renewer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "bucketload-lease");
              thread.setDaemon(true);
              return thread;
            });
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    long started = target.dynamoDbLedger().now();
    try {
      for (Claim claim : List.copyOf(claims)) {
        if (!target.dynamoDbLedger().renew(claim.pipeline(), claim.version(), owner)) {
          if (!finished) {
            LOG.warn("{}: lost the claim to another worker", claim.version().key());
          }
          claimLost = true;
          return;
        }
      }
      lastRenewed = started;
    } catch (RuntimeException e) {
      if (!finished) {
        LOG.warn("the claims could not be renewed (retrying): {}", e.getMessage());
      }
    }
  }

  @Override
  public void commit(List<LedgerEntry> entries) {
    stopRenewing();
    // All the unit's files or none: a set is never half recorded.
    target.dynamoDbLedger().markLoaded(entries, owner);
    claims.clear();
    finished = true;
  }

  private synchronized void stopRenewing() {
    if (renewer != null) {
      renewer.shutdown();
      try {
        renewer.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      renewer = null;
    }
  }

  @Override
  public void abort() {
    loads.forEach(DynamoDbTableLoad::abort);
    stopRenewing();
    for (Claim claim : claims) {
      target.dynamoDbLedger().release(claim.pipeline(), claim.version(), owner);
    }
    claims.clear();
    finished = true;
  }

  @Override
  public void close() {
    if (!finished) {
      abort();
    }
  }
}
