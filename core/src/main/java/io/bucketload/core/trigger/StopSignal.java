package io.bucketload.core.trigger;

import java.time.Duration;

/**
 * A stop asked of a service, shared by everything that serves in one process (every pipeline and
 * trigger): once asked, no new work is taken and waits end early. Thread-safe.
 */
public final class StopSignal {
  private boolean stopping;

  /** Asks for the stop; wakes every {@link #pause}. */
  public synchronized void stop() {
    stopping = true;
    notifyAll();
  }

  /** Whether a stop was asked. */
  public synchronized boolean stopping() {
    return stopping;
  }

  /**
   * Waits {@code wait}, waking early when a stop is asked.
   *
   * @return whether a stop was asked (or the thread interrupted) before the wait ended
   */
  public synchronized boolean pause(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!stopping) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
    return true;
  }
}
