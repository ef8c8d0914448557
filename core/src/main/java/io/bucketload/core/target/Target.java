package io.bucketload.core.target;

/**
 * A database that receives rows, with the ledger that makes its loads exactly once. One target
 * serves one pipeline run and one transaction at a time.
 */
public interface Target extends AutoCloseable {
  /** Describes the target for people, with no secret in it. */
  String describe();

  /** The ledger kept with this target. */
  Ledger ledger();

  /**
   * Starts a unit of work: the loads of one file or of one file set, with the after-load SQL.
   *
   * @throws io.bucketload.core.error.TargetException when the target fails
   */
  LoadTransaction begin();

  /** Releases connections. Never throws. */
  @Override
  void close();
}
