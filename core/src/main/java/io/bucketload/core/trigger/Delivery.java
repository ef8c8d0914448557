package io.bucketload.core.trigger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One piece of work a {@link Trigger} handed out: the files an event names, or every matching file
 * (a schedule's tick). Settled exactly once: {@link #acknowledge()} when every file's outcome is
 * final (loaded, already loaded, failed on its data), {@link #release(Duration)} when something may
 * succeed later (a system failure, a file set still incomplete, a file another worker is loading).
 *
 * <p>Used by the thread that polled it. Settling is best effort: a failure is logged and the
 * delivery comes back, where its loaded files are skipped.
 */
public interface Delivery {
  /** The delivery's id, for logs (e.g. the message id). */
  String id();

  /**
   * What this delivery is, for reports and notifications (e.g. {@code S3 event (SQS message ID)},
   * {@code schedule rate(1 day) at 2026-12-01T06:00:00Z}); its id unless told otherwise.
   */
  default String describe() {
    return id();
  }

  /**
   * The files named, as URIs or keys of the pipeline's source (some may belong to other pipelines);
   * empty when {@link #allFiles()}.
   */
  List<String> files();

  /** Whether the delivery asks for every matching file of the source rather than named ones. */
  default boolean allFiles() {
    return false;
  }

  /** How many times this delivery has been handed out, counting this one (1 the first time). */
  int attempt();

  /** The work is done for good: never deliver it again. */
  void acknowledge();

  /**
   * The work should be tried again, not before {@code delay}.
   *
   * @return how long until it may be handed out again, as this delivery set it: {@code delay}, or
   *     less where the trigger looks again sooner (a watch's next pass) or cannot wait so long
   *     (SQS's 12 hours); empty when the queue it came from decides (a Lambda's batch item failure
   *     comes back after the queue's visibility timeout)
   */
  Optional<Duration> release(Duration delay);

  /**
   * The work failed on the system (the database down, the source unreadable) and should be tried
   * again, not before {@code delay}: as {@link #release}, except where a trigger would otherwise
   * look again sooner (a watch backs off instead of retrying at every pass).
   *
   * @return as {@link #release}
   */
  default Optional<Duration> releaseAfterFailure(Duration delay) {
    return release(delay);
  }
}
