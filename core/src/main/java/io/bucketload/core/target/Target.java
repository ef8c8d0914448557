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

  /**
   * Why the target can take no more loads in this run, such as a server that went away during it
   * and could not be reached again; empty while it can. The run's files not tried yet then wait for
   * the next run. Empty by default.
   */
  default java.util.Optional<String> unavailable() {
    return java.util.Optional.empty();
  }

  /**
   * A run begins: what {@link #unavailable()} said during an earlier run no longer holds (a
   * service's target lives across runs), and a connection kept since may be checked before its
   * first use. Does nothing by default.
   */
  default void runStarts() {}

  /**
   * Waits until this process may write the target, where another process can hold it (a DuckDB
   * file): a service calls it before it takes a load slot, so that the wait holds no slot another
   * pipeline could use. Waits at most as long as the run's first use would; a target still held
   * then is reported by the run that follows ({@link #unavailable()}) without a second wait. Never
   * throws. Does nothing by default.
   */
  default void awaitTurn() {}

  /**
   * The runs that {@link #awaitTurn()} waited for have ended: the next run asks again whether
   * another process holds the target. Does nothing by default.
   */
  default void turnEnded() {}

  /**
   * Checks, before a run tries its files, that the target answers, reconnecting as the run's first
   * use would: a server down when the run starts fails the run as a whole, not the file that
   * happens to come first. Does nothing by default.
   *
   * @throws io.bucketload.core.error.TargetException when the target cannot be reached
   */
  default void reach() {}

  /**
   * Whether rows written become visible before the commit (a store without multi-item transactions,
   * such as DynamoDB). Then each file is read and validated in full before its first write, so that
   * a file over its reject limit or malformed halfway writes nothing.
   */
  default boolean writesBeforeCommit() {
    return false;
  }

  /**
   * The limit the target puts on single rows of a load, checked while the file is read so that a
   * row over it is a reject with its line. {@link RowLimit#NONE} by default.
   */
  default RowLimit rowLimit(LoadPlan plan) {
    return RowLimit.NONE;
  }

  /**
   * Up to {@code limit} rows of a table, for people (the quickstart shows a few); empty where the
   * target cannot tell.
   *
   * @throws io.bucketload.core.error.TargetException when the table cannot be read
   */
  default java.util.List<java.util.Map<String, Object>> sample(String table, int limit) {
    return java.util.List.of();
  }

  /**
   * The process is being stopped in the middle of a load (Ctrl-C, SIGTERM): releases what a later
   * run would otherwise find left over, such as scratch files, without waiting for the load's
   * threads, and commits nothing. Called from another thread just before the process ends. Never
   * throws. Does nothing by default.
   */
  default void abandon() {}

  /**
   * Checks, once a file's header is read and before any of its rows, that the plan can load here
   * (an existing table's key): a target that {@link #writesBeforeCommit() writes before the commit}
   * reads a whole file before its first write, and a mismatch found then would have cost that read
   * and left a rejects file. Creates nothing. Does nothing by default.
   *
   * @throws io.bucketload.core.error.ConfigException when the plan cannot load into the target
   */
  default void check(LoadPlan plan) {}

  /**
   * The pipeline waits for its next work ({@code serve} between deliveries): releases what other
   * processes may want meanwhile, such as an embedded database file that one process at a time may
   * open. The next use of the target or its ledger takes it again. Called with no transaction open.
   * Never throws. Does nothing by default: a server's connection is kept.
   */
  default void idle() {}

  /** Releases connections. Never throws. */
  @Override
  void close();
}
