package io.bucketload.core.target;

/**
 * A database that receives rows, with the ledger that makes its loads exactly once. One target
 * serves one pipeline run and one file at a time.
 */
public interface Target extends AutoCloseable {
  /** Describes the target for people, with no secret in it. */
  String describe();

  /** The ledger kept with this target. */
  Ledger ledger();

  /**
   * Starts loading one file. Creates the table when it is missing; fails when an existing table
   * does not match the plan's columns.
   *
   * @throws io.bucketload.core.error.TargetException when the target fails or does not match
   */
  LoadTransaction begin(LoadPlan plan);

  /** Releases connections. Never throws. */
  @Override
  void close();
}
