package io.bucketload.core.error;

/**
 * A target or ledger operation failed. Usually a {@link Fault#SYSTEM} failure (database
 * unreachable, disk full); a {@link Fault#DATA} fault when the target refused the data itself (a
 * constraint, a value it cannot store); a {@link Fault#CONFIG} fault when the target does not fit
 * the pipeline (a table whose columns or key differ).
 */
public final class TargetException extends BucketloadException {
  private static final long serialVersionUID = 1L;

  private final boolean transientFailure;
  private final boolean busy;

  private TargetException(
      Fault fault, String message, Throwable cause, boolean transientFailure, boolean busy) {
    super(fault, message, cause);
    this.transientFailure = transientFailure;
    this.busy = busy;
  }

  private TargetException(Fault fault, String message, Throwable cause, boolean transientFailure) {
    this(fault, message, cause, transientFailure, false);
  }

  /**
   * Another process holds the target (an embedded database file allows one writer) and did not let
   * go within the wait: a transient system failure that the command line reports with an exit code
   * of its own, so that a scheduler can tell "try again" from "broken".
   */
  public static TargetException busy(String message, Throwable cause) {
    return new TargetException(Fault.SYSTEM, message, cause, true, true);
  }

  /** A system failure; {@code transientFailure} says whether trying again later may succeed. */
  public static TargetException system(String message, Throwable cause, boolean transientFailure) {
    return new TargetException(Fault.SYSTEM, message, cause, transientFailure);
  }

  /** The target refused the data or does not match the pipeline; retrying will not help. */
  public static TargetException data(String message, Throwable cause) {
    return new TargetException(Fault.DATA, message, cause, false);
  }

  /**
   * The target does not fit the pipeline (a table whose columns or key differ from the pipeline's):
   * a {@link Fault#CONFIG} fault, not the file's. The pipeline or the target must change; retrying
   * as they are will not help.
   */
  public static TargetException mismatch(String message) {
    return new TargetException(Fault.CONFIG, message, null, false);
  }

  /** The same failure with its message rewritten, e.g. with secrets masked. */
  public TargetException withMessage(String message) {
    return new TargetException(fault(), message, this, transientFailure, busy);
  }

  /** Whether another process holds the target ({@link #busy}). */
  public boolean isBusy() {
    return busy;
  }

  /** Returns whether a later retry may succeed. */
  public boolean isTransient() {
    return transientFailure;
  }
}
