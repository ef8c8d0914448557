package io.bucketload.core.run;

import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.Target;
import java.util.List;
import java.util.Optional;

/**
 * The target of a dry run ({@code validate}): accepts rows and writes nothing; its ledger is empty
 * and records nothing.
 */
public final class DryRunTarget implements Target {
  private static final Ledger EMPTY =
      new Ledger() {
        @Override
        public Optional<LedgerEntry> findLoaded(String pipeline, FileVersion version) {
          return Optional.empty();
        }

        @Override
        public void recordFailure(LedgerEntry entry) {}

        @Override
        public List<LedgerEntry> history(String pipeline, int limit) {
          return List.of();
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
