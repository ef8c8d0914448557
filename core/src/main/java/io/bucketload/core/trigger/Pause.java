package io.bucketload.core.trigger;

import java.time.Duration;

/** The short waits of triggers that poll by time (schedules, watches). */
final class Pause {
  private Pause() {}

  /** Sleeps {@code wait}, rounded up to the next millisecond; an interrupt ends it early. */
  static void sleep(Duration wait) {
    if (wait.isNegative() || wait.isZero()) {
      return;
    }
    try {
      // Rounded up: waking a fraction of a millisecond early would find nothing due.
      Thread.sleep(wait.toMillis() + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
