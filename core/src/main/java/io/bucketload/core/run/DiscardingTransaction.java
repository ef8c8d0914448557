package io.bucketload.core.run;

import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.TableLoad;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The transaction of a dry run, and of the check before a target without transactions writes:
 * accepts rows and writes nothing to the target; runs no SQL. It can hand each chunk to a keeper
 * (the check of a remote file keeps the rows in a {@link RowSpool}) and remembers the plan of its
 * last load, which the rows kept were made for.
 */
final class DiscardingTransaction implements LoadTransaction {
  private final Consumer<RowChunk> keeper;
  private final Consumer<LoadPlan> planCheck;
  private LoadPlan plan;

  /** A transaction that keeps nothing. */
  DiscardingTransaction() {
    this(chunk -> {}, plan -> {});
  }

  /**
   * A transaction that hands every chunk written to {@code keeper}.
   *
   * @param planCheck told each plan as its load begins, before any row, and may refuse it (the
   *     target's {@link io.bucketload.core.target.Target#check})
   */
  DiscardingTransaction(Consumer<RowChunk> keeper, Consumer<LoadPlan> planCheck) {
    this.keeper = keeper;
    this.planCheck = planCheck;
  }

  /** The plan of the last load begun, if one was. */
  Optional<LoadPlan> plan() {
    return Optional.ofNullable(plan);
  }

  @Override
  public TableLoad load(LoadPlan plan) {
    planCheck.accept(plan);
    this.plan = plan;
    return new TableLoad() {
      private long rows;

      @Override
      public void write(RowChunk chunk) {
        keeper.accept(chunk);
        rows += chunk.size();
      }

      @Override
      public LoadCounts finish() {
        return LoadCounts.written(rows);
      }
    };
  }

  @Override
  public void commit(List<LedgerEntry> entries) {}

  @Override
  public void abort() {}

  @Override
  public void close() {}
}
