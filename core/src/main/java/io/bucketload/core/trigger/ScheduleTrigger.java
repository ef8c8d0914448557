package io.bucketload.core.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Schedule} as a trigger: each time the schedule is due, one delivery for every matching
 * file of the source (the ledger skips those already loaded). A delivery acknowledged makes its due
 * time the last run; one released comes back after its delay, counting attempts, before the next
 * due time is considered. The last run is kept in a {@link LastRunStore} (the pipeline's ledger
 * under {@code serve}), read when the trigger is created: a schedule that never ran is due at once,
 * and a restart neither skips a due run nor runs one twice. Not thread-safe.
 */
public final class ScheduleTrigger implements Trigger {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleTrigger.class);

  private final Schedule schedule;
  private final Clock clock;
  private final Duration longestWait;
  private final LastRunStore store;
  // Volatile: nextRun() is read by other threads (the history page) while one thread polls.
  private volatile Optional<Instant> lastRun;
  private volatile Optional<Pending> pending = Optional.empty();

  /** A due run handed out and not yet acknowledged, or released until {@code notBefore}. */
  private record Pending(Instant due, int attempt, Instant notBefore, boolean handedOut) {}

  /**
   * Creates the trigger.
   *
   * @param schedule when to run
   * @param clock the time
   * @param longestWait how long a poll waits for the schedule to come due before it returns empty
   *     (short, so that a stop is noticed; zero to never wait)
   */
  public ScheduleTrigger(Schedule schedule, Clock clock, Duration longestWait) {
    this(schedule, clock, longestWait, LastRunStore.inMemory());
  }

  /**
   * Creates the trigger, keeping its last run in {@code store}.
   *
   * @param schedule when to run
   * @param clock the time
   * @param longestWait how long a poll waits for the schedule to come due before it returns empty
   * @param store where the time of the last run is kept; read now, written after each run (a SQL
   *     ledger's connection is then free: the run has ended)
   * @throws io.bucketload.core.error.TargetException when the store cannot be read
   */
  public ScheduleTrigger(Schedule schedule, Clock clock, Duration longestWait, LastRunStore store) {
    this.schedule = schedule;
    this.clock = clock;
    this.longestWait = longestWait;
    this.store = store;
    this.lastRun = store.read();
    lastRun.ifPresent(last -> LOG.info("{}: last run at {}", describe(), last));
  }

  @Override
  public String kind() {
    return "schedule";
  }

  @Override
  public String describe() {
    return "schedule " + schedule;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Never fails: a schedule needs nothing to be reached.
   */
  @Override
  public List<Delivery> poll() {
    Optional<Instant> due = dueNow();
    if (due.isEmpty() && !longestWait.isZero()) {
      Instant now = clock.instant();
      Instant wake =
          nextDue()
              .filter(next -> next.isBefore(now.plus(longestWait)))
              .orElse(now.plus(longestWait));
      Pause.sleep(Duration.between(now, wake));
      due = dueNow();
    }
    if (due.isEmpty()) {
      return List.of();
    }
    Pending run = pending.orElse(new Pending(due.get(), 0, due.get(), false));
    Pending handed = new Pending(run.due(), run.attempt() + 1, run.notBefore(), true);
    pending = Optional.of(handed);
    return List.of(new ScheduledRun(handed));
  }

  /** The due time of the run that may be handed out now, if any. */
  private Optional<Instant> dueNow() {
    Instant now = clock.instant();
    if (pending.isPresent()) {
      Pending run = pending.get();
      return !run.handedOut() && !run.notBefore().isAfter(now)
          ? Optional.of(run.due())
          : Optional.empty();
    }
    return schedule.next(lastRun, now).filter(next -> !next.isAfter(now));
  }

  private Optional<Instant> nextDue() {
    Optional<Pending> run = pending;
    return run.isPresent()
        ? Optional.of(run.get().notBefore())
        : schedule.next(lastRun, clock.instant());
  }

  /** {@inheritDoc} A released run's next attempt, or the schedule's next time. */
  @Override
  public Optional<Instant> nextRun() {
    return nextDue();
  }

  /** {@inheritDoc} True while a released run waits to be handed out again. */
  @Override
  public boolean pending() {
    return pending.isPresent() && !pending.get().handedOut();
  }

  @Override
  public void close() {}

  /** One due run of the schedule. */
  private final class ScheduledRun extends EveryFileDelivery {
    private final Pending run;

    ScheduledRun(Pending run) {
      this.run = run;
    }

    @Override
    public String id() {
      return "schedule " + schedule + " at " + run.due();
    }

    @Override
    public int attempt() {
      return run.attempt();
    }

    @Override
    public void acknowledge() {
      // Runs missed while this one ran (or the process was held) are skipped, as EventBridge
      // skips them: the next run is the schedule's next time after now.
      Instant now = clock.instant();
      boolean behind =
          schedule.next(Optional.of(run.due()), now).map(next -> !next.isAfter(now)).orElse(false);
      lastRun = Optional.of(behind ? now : run.due());
      pending = Optional.empty();
      try {
        store.write(lastRun.get());
      } catch (RuntimeException e) {
        LOG.warn(
            "{}: the time of this run could not be recorded; after a restart the schedule may run"
                + " once more: {}",
            describe(),
            e.getMessage());
      }
      schedule
          .next(lastRun, clock.instant())
          .ifPresentOrElse(
              next -> LOG.info("{}: next run at {}", describe(), next),
              () -> LOG.info("{}: no run after this one", describe()));
    }

    @Override
    public Optional<Duration> release(Duration delay) {
      pending =
          Optional.of(new Pending(run.due(), run.attempt(), clock.instant().plus(delay), false));
      return Optional.of(delay);
    }
  }
}
