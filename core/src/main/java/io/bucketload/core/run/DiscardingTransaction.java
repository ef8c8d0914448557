package io.bucketload.core.run;

import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowChunk;

/** The transaction of a dry run: accepts rows and writes nothing. */
final class DiscardingTransaction implements LoadTransaction {
  private long rows;

  @Override
  public void write(RowChunk chunk) {
    rows += chunk.size();
  }

  @Override
  public LoadCounts commit(LedgerEntry entry) {
    return new LoadCounts(
        rows,
        java.util.OptionalLong.empty(),
        java.util.OptionalLong.empty(),
        java.util.OptionalLong.empty(),
        java.util.OptionalLong.empty());
  }

  @Override
  public void abort() {}

  @Override
  public void close() {}
}
