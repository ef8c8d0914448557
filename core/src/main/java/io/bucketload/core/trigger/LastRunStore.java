package io.bucketload.core.trigger;

import io.bucketload.core.target.Ledger;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a trigger keeps the time of its last run, so that a restarted service neither skips a due
 * run nor runs it twice. Implementations throw {@link io.bucketload.core.error.TargetException}
 * when the store cannot be reached.
 */
public interface LastRunStore {
  /** The time of the last run, empty when there was none. */
  Optional<Instant> read();

  /** Records the time of the last run. */
  void write(Instant at);

  /** A store in this process only: a restart forgets it. */
  static LastRunStore inMemory() {
    AtomicReference<Optional<Instant>> last = new AtomicReference<>(Optional.empty());
    return new LastRunStore() {
      @Override
      public Optional<Instant> read() {
        return last.get();
      }

      @Override
      public void write(Instant at) {
        last.set(Optional.of(at));
      }
    };
  }

  /** The pipeline's ledger, under the trigger's kind ({@link Ledger#lastTriggered}). */
  static LastRunStore ledger(Ledger ledger, String pipeline, String kind) {
    return new LastRunStore() {
      @Override
      public Optional<Instant> read() {
        return ledger.lastTriggered(pipeline, kind);
      }

      @Override
      public void write(Instant at) {
        ledger.recordTriggered(pipeline, kind, at);
      }
    };
  }
}
