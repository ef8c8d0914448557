package io.bucketload.core.run;

import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.TableLoad;
import java.util.List;
import java.util.Optional;

/**
 * The check of a file before a target without transactions writes it: writes nothing to the target,
 * keeps the converted rows in a {@link RowSpool} and the plan they were made for, so that the
 * writes come from the spool instead of a second reading of the source.
 */
final class SpoolingTransaction implements LoadTransaction {
  private final RowSpool spool;
  private LoadPlan plan;

  SpoolingTransaction(RowSpool spool) {
    this.spool = spool;
  }

  /** The plan of the file's load, once the file was read. */
  Optional<LoadPlan> plan() {
    return Optional.ofNullable(plan);
  }

  @Override
  public TableLoad load(LoadPlan plan) {
    this.plan = plan;
    return new TableLoad() {
      private long rows;

      @Override
      public void write(RowChunk chunk) {
        spool.add(chunk);
        rows += chunk.size();
      }

      @Override
      public LoadCounts finish() {
        spool.finish();
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
