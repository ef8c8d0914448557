package io.bucketload.core.run;

import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.FileClaimedException;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.VersionRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A target that keeps its tables and ledger in memory, with real transactions: rows become visible
 * at commit, together with the ledger entries, or not at all. Failures are injected by the test
 * through {@link #failWrites} and {@link #failBegin}. Thread-safe enough for the runner's writer
 * thread (one load at a time).
 */
public final class MemoryTarget implements Target {
  private final Map<String, List<Object[]>> tables = new LinkedHashMap<>();
  private final List<LedgerEntry> entries = Collections.synchronizedList(new ArrayList<>());
  private Optional<Supplier<RuntimeException>> writeFailure = Optional.empty();
  private Optional<Supplier<RuntimeException>> beginFailure = Optional.empty();
  private int transactions;
  private Optional<Runnable> firstWrite = Optional.empty();

  /** Every later write throws what {@code failure} supplies; empty to stop. */
  public void failWrites(Optional<Supplier<RuntimeException>> failure) {
    this.writeFailure = failure;
  }

  /** Every later {@link #begin()} throws what {@code failure} supplies; empty to stop. */
  public void failBegin(Optional<Supplier<RuntimeException>> failure) {
    this.beginFailure = failure;
  }

  /**
   * Runs {@code action} once, at the next write (before the write's rows are kept): lets a test
   * start a second run while a first one is loading.
   */
  public void onFirstWrite(Runnable action) {
    this.firstWrite = Optional.of(action);
  }

  /** The committed rows of a table. */
  public synchronized List<Object[]> rows(String table) {
    return List.copyOf(tables.getOrDefault(table, List.of()));
  }

  /** Every ledger entry, oldest first. */
  public List<LedgerEntry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  /** How many transactions were begun. */
  public synchronized int transactions() {
    return transactions;
  }

  @Override
  public String describe() {
    return "memory";
  }

  private final java.util.Map<String, List<io.bucketload.core.notify.Delivered>> notified =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, java.time.Instant> triggered =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public Ledger ledger() {
    return new Ledger() {
      @Override
      public VersionRecord lookup(String pipeline, FileVersion version) {
        return new VersionRecord(
            version,
            latestLoad(pipeline, version.key()),
            last(
                entry ->
                    entry.pipeline().equals(pipeline)
                        && entry.file().equals(version)
                        && entry.failedOnData()));
      }

      @Override
      public void recordFailure(LedgerEntry entry) {
        entries.add(entry);
      }

      @Override
      public List<LedgerEntry> history(String pipeline, int limit) {
        List<LedgerEntry> all = new ArrayList<>(entries());
        Collections.reverse(all);
        return all.stream().filter(e -> e.pipeline().equals(pipeline)).limit(limit).toList();
      }

      @Override
      public Optional<java.time.Instant> lastTriggered(String pipeline, String trigger) {
        return Optional.ofNullable(triggered.get(pipeline + "\u0000" + trigger));
      }

      @Override
      public void recordTriggered(String pipeline, String trigger, java.time.Instant at) {
        triggered.put(pipeline + "\u0000" + trigger, at);
      }

      @Override
      public void recordNotifications(
          String pipeline, String runId, List<io.bucketload.core.notify.Delivered> sent) {
        notified.put(pipeline + "\u0000" + runId, List.copyOf(sent));
      }

      @Override
      public java.util.Map<String, List<io.bucketload.core.notify.Delivered>> notifications(
          String pipeline, java.util.Collection<String> runIds) {
        java.util.Map<String, List<io.bucketload.core.notify.Delivered>> found =
            new java.util.HashMap<>();
        for (String runId : runIds) {
          List<io.bucketload.core.notify.Delivered> sent =
              notified.get(pipeline + "\u0000" + runId);
          if (sent != null) {
            found.put(runId, sent);
          }
        }
        return found;
      }
    };
  }

  private Optional<LedgerEntry> latestLoad(String pipeline, String key) {
    return last(
        entry ->
            entry.pipeline().equals(pipeline) && entry.file().key().equals(key) && entry.loaded());
  }

  private Optional<LedgerEntry> last(Predicate<LedgerEntry> wanted) {
    List<LedgerEntry> all = entries();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (wanted.test(all.get(i))) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized LoadTransaction begin() {
    transactions++;
    if (beginFailure.isPresent()) {
      throw beginFailure.get().get();
    }
    return new Transaction();
  }

  @Override
  public void close() {}

  private final class Transaction implements LoadTransaction {
    private final Map<String, List<Object[]>> pending = new LinkedHashMap<>();
    private final Map<String, LoadPlan> plans = new LinkedHashMap<>();
    private final Map<String, LoadPlan> byFile = new LinkedHashMap<>();

    @Override
    public TableLoad load(LoadPlan plan) {
      List<Object[]> rows = new ArrayList<>();
      byFile.put(plan.file().key(), plan);
      if (plan.columns().isEmpty()) {
        return TableLoad.none();
      }
      return new TableLoad() {
        @Override
        public void write(RowChunk chunk) {
          Optional<Runnable> action = firstWrite;
          firstWrite = Optional.empty();
          action.ifPresent(Runnable::run);
          if (writeFailure.isPresent()) {
            throw writeFailure.get().get();
          }
          for (int i = 0; i < chunk.size(); i++) {
            rows.add(chunk.row(i).clone());
          }
        }

        @Override
        public LoadCounts finish() {
          pending.computeIfAbsent(plan.table(), table -> new ArrayList<>()).addAll(rows);
          plans.put(plan.table(), plan);
          return LoadCounts.written(rows.size());
        }
      };
    }

    @Override
    public void commit(List<LedgerEntry> loaded) {
      synchronized (MemoryTarget.this) {
        for (LedgerEntry entry : loaded) {
          String latest =
              latestLoad(entry.pipeline(), entry.file().key()).map(LedgerEntry::runId).orElse("");
          if (!latest.equals(byFile.get(entry.file().key()).supersedes())) {
            throw new FileClaimedException(
                entry.file().key() + ": loaded meanwhile by run " + latest);
          }
        }
        for (Map.Entry<String, List<Object[]>> table : pending.entrySet()) {
          LoadPlan plan = plans.get(table.getKey());
          List<Object[]> stored = tables.computeIfAbsent(table.getKey(), t -> new ArrayList<>());
          if (plan.mode() == LoadMode.REPLACE) {
            stored.clear();
          }
          if (plan.mergesByKey()) {
            int[] key =
                plan.key().stream()
                    .mapToInt(
                        name -> {
                          for (int c = 0; c < plan.columns().size(); c++) {
                            if (plan.columns().get(c).name().equals(name)) {
                              return c;
                            }
                          }
                          throw new IllegalStateException("no key column " + name);
                        })
                    .toArray();
            for (Object[] row : table.getValue()) {
              stored.removeIf(old -> sameKey(old, row, key));
              stored.add(row);
            }
          } else {
            stored.addAll(table.getValue());
          }
        }
        for (LedgerEntry entry : loaded) {
          entries.add(
              new LedgerEntry(
                  entry.pipeline(),
                  entry.runId(),
                  entry.file(),
                  FileStatus.LOADED,
                  entry.startedAt(),
                  entry.finishedAt(),
                  entry.rowsRead(),
                  entry.rowsRejected(),
                  entry.counts(),
                  entry.error(),
                  entry.fault(),
                  entry.definition(),
                  entry.trigger()));
        }
      }
      pending.clear();
    }

    private boolean sameKey(Object[] a, Object[] b, int[] key) {
      for (int k : key) {
        if (!Objects.equals(a[k], b[k])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void abort() {
      pending.clear();
    }

    @Override
    public void close() {
      pending.clear();
    }
  }
}
