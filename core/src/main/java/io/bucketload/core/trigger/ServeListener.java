package io.bucketload.core.trigger;

import io.bucketload.core.run.RunReport;

/**
 * Told what a service does with its triggers' work, for logs, metrics and health. Called from the
 * threads that poll; implementations are thread-safe and do not throw.
 */
public interface ServeListener {
  /** A poll of {@code trigger} brought {@code count} deliveries (not called for empty polls). */
  default void received(Trigger trigger, int count) {}

  /** A delivery of {@code trigger} was acknowledged (done for good) or released (to come back). */
  default void settled(Trigger trigger, boolean acknowledged) {}

  /** A poll of {@code trigger} succeeded: it can be reached (whatever it brought). */
  default void polled(Trigger trigger) {}

  /** A poll of {@code trigger} failed: it could not be reached. */
  default void unreachable(Trigger trigger, String reason) {}

  /** A run finished with this report. */
  void reported(RunReport report);

  /**
   * A trigger could not be polled as an outage began: the report of the run that failed as a whole
   * because of it, told once per outage. Its health is the trigger's ({@link #unreachable}, {@link
   * #polled}), not a run's: no run of a file follows when the trigger answers again.
   */
  default void outage(RunReport report) {}
}
