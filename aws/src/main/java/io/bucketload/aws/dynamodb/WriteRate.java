package io.bucketload.aws.dynamodb;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An optional cap on items written per second ({@code target.max_write_rate}), so a load leaves
 * capacity to the table's other users. Callers take permits before each request; a cap of 0 means
 * none. Thread-safe.
 */
final class WriteRate {
  private final long itemsPerSecond;
  private final ReentrantLock lock = new ReentrantLock();
  private long nextFreeNanos = System.nanoTime();

  WriteRate(long itemsPerSecond) {
    this.itemsPerSecond = itemsPerSecond;
  }

  /** Waits until {@code items} more may be written. */
  void acquire(int items) throws InterruptedException {
    if (itemsPerSecond <= 0) {
      return;
    }
    long waitNanos;
    lock.lock();
    try {
      long now = System.nanoTime();
      long start = Math.max(now, nextFreeNanos);
      nextFreeNanos = start + TimeUnit.SECONDS.toNanos(items) / itemsPerSecond;
      waitNanos = start - now;
    } finally {
      lock.unlock();
    }
    if (waitNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
  }
}
