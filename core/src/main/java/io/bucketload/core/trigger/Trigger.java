package io.bucketload.core.trigger;

import java.io.IOException;
import java.util.List;

/**
 * What tells a long-running bucketload what to load and when: a queue of object events, a schedule,
 * a watch. A trigger hands out {@link Delivery deliveries}; whoever runs them settles each one
 * (acknowledge or release) once its outcome is final.
 *
 * <p>Not thread-safe, except {@link #nextRun()}: one thread polls a trigger; any number of triggers
 * (and processes) may share one queue. Results are never null. {@link #close()} releases clients
 * and never throws.
 */
public interface Trigger extends AutoCloseable {
  /** Describes the trigger for people, e.g. the queue's URL. */
  String describe();

  /** The trigger's kind as a pipeline names it ({@code sqs}, {@code schedule}, {@code watch}). */
  String kind();

  /**
   * Waits for work, up to the trigger's own wait (e.g. SQS long polling), and returns what arrived.
   *
   * @return the deliveries, empty when nothing arrived in time
   * @throws IOException when the trigger cannot be reached now (a system failure: the caller backs
   *     off and polls again; nothing is lost)
   */
  List<Delivery> poll() throws IOException;

  /**
   * Whether work this trigger handed out and got back ({@link Delivery#release}) waits to be handed
   * out again by this trigger itself (a schedule's run, a watch's pass), so that a poll that comes
   * back empty does not mean there is nothing left. False for triggers whose released work lives
   * elsewhere (a queue).
   */
  default boolean pending() {
    return false;
  }

  /**
   * When the trigger will next start a run by itself, for people (a schedule's next time); empty
   * for triggers that run on events. Unlike the rest of this interface, safe to call from any
   * thread.
   */
  default java.util.Optional<java.time.Instant> nextRun() {
    return java.util.Optional.empty();
  }

  /** Releases clients. Never throws. */
  @Override
  void close();
}
