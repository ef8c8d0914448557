package io.bucketload.core.trigger;

import java.time.Duration;
import java.util.List;

/**
 * A stop asked of a service, shared by everything that serves in one process (every pipeline and
 * trigger): once asked, no new work is taken and waits end early. Thread-safe.
 */
public final class StopSignal {
  private boolean stopping;
  private final java.util.Set<Runnable> whenStopping = new java.util.LinkedHashSet<>();

  /**
   * Asks for the stop; wakes every {@link #pause} and runs what was asked {@link #whenStopping}.
   */
  public void stop() {
    List<Runnable> told;
    synchronized (this) {
      stopping = true;
      notifyAll();
      told = List.copyOf(whenStopping);
    }
    told.forEach(Runnable::run);
  }

  /**
   * Runs {@code action} at the stop (at once if it was asked already) until {@link #forget}: for
   * waits this signal does not see, such as a notification's between two attempts. The action never
   * throws.
   */
  public void whenStopping(Runnable action) {
    boolean now;
    synchronized (this) {
      whenStopping.add(action);
      now = stopping;
    }
    if (now) {
      action.run();
    }
  }

  /** No longer runs {@code action} at the stop. */
  public synchronized void forget(Runnable action) {
    whenStopping.remove(action);
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
