package io.bucketload.core.run;

import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.workspace.Workspace;
import java.util.List;

/**
 * The loads of a file set's inputs into its {@code sql} step's workspace, as a transaction that a
 * {@link FileReading} writes into: each file's rows become the table of its input. Nothing is
 * committed or recorded here; the workspace is discarded with the unit.
 */
final class WorkspaceTransaction implements LoadTransaction {
  private final Workspace workspace;

  WorkspaceTransaction(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public TableLoad load(LoadPlan plan) {
    return workspace.load(plan);
  }

  @Override
  public void commit(List<LedgerEntry> entries) {}

  @Override
  public void abort() {}

  @Override
  public void close() {}
}
