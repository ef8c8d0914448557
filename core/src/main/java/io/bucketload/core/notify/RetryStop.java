package io.bucketload.core.notify;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The stop of a channel's retries ({@link Notifier#stopRetrying()}), which ends its waits: the
 * pause between two attempts, and an attempt that waits for its answer. Thread-safe.
 */
public final class RetryStop {
  /** How often a waiting attempt looks whether the service is stopping. */
  private static final long CHECK_MS = 100;

  private final CountDownLatch stopped = new CountDownLatch(1);

  /** The service is stopping: every wait ends, and the ones to come end at once. */
  public void stop() {
    stopped.countDown();
  }

  /**
   * Waits before the next attempt.
   *
   * @return whether the service is stopping (asked before or during the wait)
   * @throws InterruptedException when the thread is interrupted
   */
  public boolean pause(Duration wait) throws InterruptedException {
    return stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The result of an attempt, or empty when the service is stopping first: the attempt is then
   * cancelled, so that a server that does not answer cannot outlast the stop's grace period.
   *
   * @param attempt the attempt, running elsewhere; its result is not null
   * @throws ExecutionException the attempt's failure
   * @throws InterruptedException when the thread is interrupted (the attempt is cancelled)
   */
  public <T> Optional<T> await(Future<T> attempt) throws ExecutionException, InterruptedException {
    while (true) {
      try {
        return Optional.of(attempt.get(CHECK_MS, TimeUnit.MILLISECONDS));
      } catch (TimeoutException e) {
        if (stopped.getCount() == 0) {
          attempt.cancel(true);
          return Optional.empty();
        }
      } catch (InterruptedException e) {
        attempt.cancel(true);
        throw e;
      }
    }
  }
}
