package io.bucketload.aws.dynamodb;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: retry {@code n} waits a random time between half and all of
 * {@code base * 2^(n-1)}, capped, so that workers throttled together do not retry together.
 * Immutable.
 *
 * @param base the first attempt's ceiling
 * @param cap the longest wait
 * @param attempts how many retries before giving up
 */
record Backoff(Duration base, Duration cap, int attempts) {
  /** The writes' default: 25 ms doubling to 5 s, 15 retries (over a minute of throttling). */
  static final Backoff WRITES = new Backoff(Duration.ofMillis(25), Duration.ofSeconds(5), 15);

  /** Sleeps before retry number {@code attempt} (1 for the first retry). */
  void pause(int attempt) throws InterruptedException {
    long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
    Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
  }
}
