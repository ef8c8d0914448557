package io.bucketload.core.notify;

import io.bucketload.core.run.RunReport;

/**
 * Tells people what a run did: email, a webhook, a topic. Called once per run, after the run's
 * outcome is final (every unit of work committed or rolled back), with the run's report.
 *
 * <p>Implementations are thread-safe and handle their own retries. A notification that cannot be
 * delivered never changes the run's outcome: {@link #runFinished} reports it by throwing {@link
 * NotificationException}, which the caller logs. {@link #close()} never throws.
 */
public interface Notifier extends AutoCloseable {
  /** Describes the channel for people, with no secret in it. */
  String describe();

  /** Whether the channel is told of this run ({@code notify[].on}); every run unless filtered. */
  default boolean wants(RunReport report) {
    return true;
  }

  /**
   * Sends what the run did, if this channel wants to hear about such a run.
   *
   * @throws NotificationException when the notification could not be delivered
   */
  void runFinished(RunReport report);

  /**
   * The service is stopping: a notification waiting to try again gives up now, saying so, so that
   * the run's report and what became of its notifications are kept before the process ends. An
   * attempt in progress ends by its own timeout. Does nothing by default (channels that do not wait
   * between attempts). Never throws; safe from any thread.
   */
  default void stopRetrying() {}

  /** Releases clients. Never throws. */
  @Override
  default void close() {}
}
