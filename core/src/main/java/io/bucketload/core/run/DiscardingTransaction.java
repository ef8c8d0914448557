package io.bucketload.core.run;

import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.TableLoad;
import java.util.List;

/**
 * The transaction of a dry run, and of the check before a target without transactions writes:
 * accepts rows and writes nothing; runs no SQL.
 */
final class DiscardingTransaction implements LoadTransaction {
  @Override
  public TableLoad load(LoadPlan plan) {
    return new TableLoad() {
      private long rows;

      @Override
      public void write(RowChunk chunk) {
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
