package io.bucketload.core.run;

import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowLimit;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.VersionRecord;
import java.util.List;

/**
 * The target of a dry run ({@code validate}): accepts rows and writes nothing; its ledger is empty
 * and records nothing. Rows are checked against the real target type's row limit.
 */
public final class DryRunTarget implements Target {
  private final java.util.function.Function<LoadPlan, RowLimit> rowLimit;

  /** A dry run with no limit on rows beyond their types. */
  public DryRunTarget() {
    this(plan -> RowLimit.NONE);
  }

  /**
   * A dry run that checks rows against the limit of the real target's type (e.g. DynamoDB's item
   * size), as a load would.
   */
  public DryRunTarget(java.util.function.Function<LoadPlan, RowLimit> rowLimit) {
    this.rowLimit = rowLimit;
  }

  @Override
  public RowLimit rowLimit(LoadPlan plan) {
    return rowLimit.apply(plan);
  }

  private static final Ledger EMPTY =
      new Ledger() {
        @Override
        public VersionRecord lookup(String pipeline, FileVersion version) {
          return VersionRecord.none(version);
        }

        @Override
        public void recordFailure(LedgerEntry entry) {}

        @Override
        public List<LedgerEntry> history(String pipeline, int limit) {
          return List.of();
        }

        @Override
        public java.util.Optional<java.time.Instant> lastTriggered(
            String pipeline, String trigger) {
          return java.util.Optional.empty();
        }

        @Override
        public void recordTriggered(String pipeline, String trigger, java.time.Instant at) {}

        @Override
        public void recordNotifications(
            String pipeline, String runId, List<io.bucketload.core.notify.Delivered> sent) {}

        @Override
        public java.util.Map<String, List<io.bucketload.core.notify.Delivered>> notifications(
            String pipeline, java.util.Collection<String> runIds) {
          return java.util.Map.of();
        }
      };

  @Override
  public String describe() {
    return "dry run (nothing is written)";
  }

  @Override
  public Ledger ledger() {
    return EMPTY;
  }

  @Override
  public LoadTransaction begin() {
    return new DiscardingTransaction();
  }

  @Override
  public void close() {}
}
