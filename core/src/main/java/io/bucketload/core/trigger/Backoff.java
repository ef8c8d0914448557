package io.bucketload.core.trigger;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter and a cap: attempt 1 waits between half of {@code base} and
 * {@code base}, each further attempt up to twice as long, never more than {@code cap}. Immutable
 * and thread-safe.
 *
 * @param base the longest wait after the first attempt
 * @param cap the longest wait at all
 */
public record Backoff(Duration base, Duration cap) {
  /** Checks the fields. */
  public Backoff {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("expected 0 < base <= cap: " + base + ", " + cap);
    }
  }

  /** The longest wait after {@code attempt} attempts (1 or more), without jitter. */
  public Duration ceiling(int attempt) {
    long millis = base.toMillis();
    for (int i = 1; i < attempt && millis < cap.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, cap.toMillis()));
  }

  /** A random wait between half the ceiling and the ceiling of {@code attempt}. */
  public Duration delay(int attempt) {
    long ceiling = ceiling(attempt).toMillis();
    return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
  }
}
