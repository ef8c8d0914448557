package io.bucketload.aws.dynamodb;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many write requests may be in flight at once: halved when DynamoDB throttles, raised by one
 * after a run of unthrottled requests, between 1 and the configured maximum (additive increase,
 * multiplicative decrease). Thread-safe.
 */
final class AdaptiveConcurrency {
  /** Unthrottled requests in a row that raise the limit by one. */
  static final int RECOVERY_RUN = 20;

  private final int maximum;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition available = lock.newCondition();
  private int limit;
  private int inFlight;
  private int successes;
  private int lowest;

  AdaptiveConcurrency(int maximum) {
    this.maximum = maximum;
    this.limit = maximum;
    this.lowest = maximum;
  }

  /** Waits until a request may start. */
  void acquire() throws InterruptedException {
    lock.lock();
    try {
      while (inFlight >= limit) {
        available.await();
      }
      inFlight++;
    } finally {
      lock.unlock();
    }
  }

  /** Ends a request; {@code throttled} when DynamoDB throttled it, wholly or in part. */
  void release(boolean throttled) {
    lock.lock();
    try {
      inFlight--;
      if (throttled) {
        limit = Math.max(1, limit / 2);
        lowest = Math.min(lowest, limit);
        successes = 0;
      } else if (limit < maximum && ++successes >= RECOVERY_RUN) {
        limit++;
        successes = 0;
      }
      available.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The lowest limit reached, for the report. */
  int lowest() {
    lock.lock();
    try {
      return lowest;
    } finally {
      lock.unlock();
    }
  }
}
