package io.bucketload.core.trigger;

import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline for each {@link Delivery} of a trigger and settles it by the files' outcomes:
 * every outcome {@link FileOutcome#isFinal() final} (loaded, already loaded, failed on its data,
 * refused) acknowledges it; anything else (a system failure, a file set still incomplete, a file
 * another worker is loading) releases it with backoff. Files of other pipelines are ignored. The
 * same rule serves {@code bucketload serve} and the Lambda handler.
 *
 * <p>Thread-safe: several triggers of one pipeline may {@link #serve} it on threads of their own;
 * its runs take turns, and a shared semaphore bounds the loads of a whole process.
 */
public final class TriggeredRuns {
  private static final Logger LOG = LoggerFactory.getLogger(TriggeredRuns.class);

  /** The default backoff of released deliveries: 10 s after the first attempt, up to 15 minutes. */
  public static final Backoff DEFAULT_BACKOFF =
      new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(15));

  private final Pipeline pipeline;
  private final Backoff backoff;
  private final Duration minInterval;
  private final Clock clock;
  private final StopSignal stop;
  private final Semaphore loads;
  private Optional<Instant> lastRun = Optional.empty();
  private boolean lastRunRead;

  /**
   * Creates the runs.
   *
   * @param pipeline the pipeline the deliveries' files load into
   * @param backoff how long a released delivery waits, by its attempt
   */
  public TriggeredRuns(Pipeline pipeline, Backoff backoff) {
    this(pipeline, backoff, Duration.ZERO, Clock.systemUTC());
  }

  /**
   * Creates the runs, starting at most one run per {@code minInterval}: a delivery that arrives
   * sooner is released until the interval has passed, so that nothing is dropped and its files load
   * in a later run. The start of the last run is read from the pipeline's ledger (its newest
   * attempt), so the interval holds across a restart whenever that run recorded something.
   *
   * @param pipeline the pipeline the deliveries' files load into
   * @param backoff how long a released delivery waits, by its attempt
   * @param minInterval how far apart runs start at least; zero for no limit
   * @param clock the time
   */
  public TriggeredRuns(Pipeline pipeline, Backoff backoff, Duration minInterval, Clock clock) {
    this(pipeline, backoff, minInterval, clock, new StopSignal(), new Semaphore(1));
  }

  /**
   * Creates the runs of one pipeline among others in a process.
   *
   * @param pipeline the pipeline the deliveries' files load into
   * @param backoff how long a released delivery waits, by its attempt
   * @param minInterval how far apart runs start at least; zero for no limit
   * @param clock the time
   * @param stop the process's stop signal
   * @param loads the process's load slots: a poll's deliveries run holding one
   */
  public TriggeredRuns(
      Pipeline pipeline,
      Backoff backoff,
      Duration minInterval,
      Clock clock,
      StopSignal stop,
      Semaphore loads) {
    this.pipeline = pipeline;
    this.backoff = backoff;
    this.minInterval = minInterval;
    this.clock = clock;
    this.stop = stop;
    this.loads = loads;
  }

  /** The pipeline served. */
  public Pipeline pipeline() {
    return pipeline;
  }

  /** Until when a run starting at {@code now} is held by {@code min_interval}, if it is. */
  private Optional<Instant> heldUntil(Instant now) {
    return lastRun().map(last -> last.plus(minInterval)).filter(allowed -> now.isBefore(allowed));
  }

  /** When the last run started: this process's, else the newest attempt in the ledger. */
  private Optional<Instant> lastRun() {
    if (lastRun.isEmpty() && !lastRunRead) {
      lastRunRead = true;
      try {
        lastRun =
            pipeline.target().ledger().history(pipeline.spec().name(), 1).stream()
                .findFirst()
                .map(entry -> entry.startedAt());
      } catch (RuntimeException e) {
        LOG.warn(
            "[{}] the last run could not be read from the ledger: {}",
            pipeline.spec().name(),
            pipeline.spec().mask(String.valueOf(e.getMessage())));
      }
    }
    return lastRun;
  }

  /**
   * What became of one delivery.
   *
   * @param acknowledged whether it was acknowledged (else released)
   * @param report the run's report, when something ran
   * @param ignored files named that are not this pipeline's
   * @param held whether it was released because {@code min_interval} holds runs back
   * @param failedOnSystem whether it was released because its run failed on the system
   */
  public record Handled(
      boolean acknowledged,
      Optional<RunReport> report,
      int ignored,
      boolean held,
      boolean failedOnSystem) {}

  /**
   * Runs what a delivery names and settles it. Never throws for a run's failure: a source that
   * cannot be listed or an unexpected error releases the delivery.
   */
  public Handled handle(Delivery delivery) {
    return handle(delivery, false);
  }

  /**
   * Handles a delivery; {@code runAllowed} when the poll it came with was found free of {@code
   * min_interval}, so that all of that poll's deliveries run together.
   */
  private synchronized Handled handle(Delivery delivery, boolean runAllowed) {
    List<String> ours = new ArrayList<>();
    int ignored = 0;
    for (String name : delivery.files()) {
      if (pipeline.source().owns(name) && pipeline.writes(name)) {
        // The event of a rejects file or a failed copy this pipeline wrote beside its files.
        ignored++;
        LOG.info("ignored {}: a file this pipeline wrote", pipeline.spec().mask(name));
      } else if (pipeline.source().owns(name)) {
        ours.add(name);
      } else {
        ignored++;
        LOG.info(
            "ignored {}: not a file of {}",
            pipeline.spec().mask(name),
            pipeline.spec().mask(pipeline.source().describe()));
      }
    }
    if (!delivery.allFiles() && ours.isEmpty()) {
      delivery.acknowledge();
      return new Handled(true, Optional.empty(), ignored, false, false);
    }
    Instant started = clock.instant();
    if (!minInterval.isZero() && !runAllowed) {
      Optional<Instant> allowed = heldUntil(started);
      if (allowed.isPresent()) {
        LOG.info(
            "[{}] delivery {} held until {} (trigger.min_interval {} after the last run)",
            pipeline.spec().name(),
            delivery.id(),
            allowed.get(),
            shown(minInterval));
        delivery.release(Duration.between(started, allowed.get()));
        return new Handled(false, Optional.empty(), ignored, true, false);
      }
    }
    RunReport report;
    try {
      report =
          pipeline.run(
              delivery.allFiles() ? List.of() : ours,
              RunOptions.LOAD.startedBy(pipeline.spec().mask(delivery.describe())));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "[{}] delivery {} released: {}",
          pipeline.spec().name(),
          delivery.id(),
          pipeline.spec().mask(String.valueOf(e.getMessage())));
      delivery.releaseAfterFailure(backoff.delay(delivery.attempt()));
      return new Handled(false, Optional.empty(), ignored, false, true);
    }
    if (report.files().stream().anyMatch(file -> file.outcome() instanceof FileOutcome.Loaded)) {
      // Only a run that loaded something counts: a run that found files still settling, or the
      // target down, does not hold its own retry for a whole interval.
      lastRun = Optional.of(started);
    }
    boolean done = report.files().stream().map(FileReport::outcome).allMatch(FileOutcome::isFinal);
    boolean failedOnSystem =
        !done
            && report.files().stream()
                .anyMatch(file -> file.outcome() instanceof FileOutcome.FailedOnSystem);
    if (done) {
      delivery.acknowledge();
    } else {
      Duration delay = backoff.delay(delivery.attempt());
      Optional<Duration> wait =
          failedOnSystem ? delivery.releaseAfterFailure(delay) : delivery.release(delay);
      LOG.info(
          "[{}] delivery {} released for another attempt {}",
          pipeline.spec().name(),
          delivery.id(),
          wait.map(kept -> "in " + kept.toSeconds() + " s")
              .orElse("when its queue hands it out again"));
    }
    return new Handled(done, Optional.of(report), ignored, false, failedOnSystem);
  }

  /** Asks {@link #serve} to stop after the delivery in hand. Safe from any thread. */
  public void stop() {
    stop.stop();
  }

  /** Whether {@link #stop()} was called. */
  public boolean stopping() {
    return stop.stopping();
  }

  /**
   * Polls the trigger and handles its deliveries until {@link #stop()} or, with {@code untilEmpty},
   * until a poll brings nothing (or only work held by {@code min_interval}), or until the {@value
   * #ONCE_ATTEMPTS}th attempt of work the trigger gives back by itself (a schedule's, a watch's)
   * fails on the system, told to the listener as the trigger being unreachable. Deliveries received
   * after a stop was asked are released at once, untouched. When the trigger cannot be reached,
   * waits with backoff (the wait ends early on a stop) and polls again.
   *
   * @param trigger what to poll
   * @param untilEmpty whether to return once a poll brings nothing
   * @param listener told of every poll, settlement and run report
   * @return the number of deliveries handled
   */
  public int serve(Trigger trigger, boolean untilEmpty, ServeListener listener) {
    int handled = 0;
    int failures = 0;
    while (!stop.stopping()) {
      List<Delivery> deliveries;
      try {
        deliveries = trigger.poll();
        if (failures > 0) {
          // It answers again: the outage told of is over, and the next one is news.
          pipeline.answered();
        }
        failures = 0;
      } catch (IOException e) {
        failures++;
        Duration wait = backoff.delay(failures);
        String reason = pipeline.spec().mask(String.valueOf(e.getMessage()));
        listener.unreachable(trigger, reason);
        if (failures == 1) {
          // The channels that want failures hear of it once, as it starts: a folder that vanished
          // or a queue that cannot be reached is this pipeline's failure until it comes back. The
          // run is reported, for the service's history and /runs.
          listener.outage(announceOutage(trigger, e));
        }
        if (untilEmpty) {
          // Run once: an unreachable trigger is this run's system failure, not a reason to wait.
          LOG.warn("[{}] {}", pipeline.spec().name(), reason);
          break;
        }
        LOG.warn(
            "[{}] {}; polling again in {} s", pipeline.spec().name(), reason, wait.toSeconds());
        if (stop.pause(wait)) {
          break;
        }
        continue;
      }
      listener.polled(trigger);
      boolean held = false;
      if (!deliveries.isEmpty()) {
        listener.received(trigger, deliveries.size());
        Optional<Batch> batch = runTogether(trigger, deliveries, listener);
        if (batch.isEmpty()) {
          break;
        }
        held = batch.get().held();
        handled += batch.get().handled();
        if (untilEmpty
            && trigger.pending()
            && batch.get().systemFailureAttempt() >= ONCE_ATTEMPTS) {
          // A cron job's run does not wait out an outage that a schedule's or a watch's own
          // retries would wait for: the next invocation tries again. (A queue's message comes
          // back to a later run by itself.) The end is a system failure, also when no run
          // reported one (the source could not be listed).
          String reason =
              "attempt "
                  + batch.get().systemFailureAttempt()
                  + " failed on the system; --once ends after "
                  + ONCE_ATTEMPTS;
          LOG.warn("[{}] {}", pipeline.spec().name(), reason);
          listener.unreachable(trigger, reason);
          break;
        }
      }
      idle();
      // Work a schedule or a watch got back comes again by itself, unless it waits for
      // min_interval, which --until-empty does not wait for.
      if (untilEmpty && (held || (deliveries.isEmpty() && !trigger.pending()))) {
        break;
      }
    }
    return handled;
  }

  /**
   * Runs the deliveries of one poll together, holding the pipeline's turn and then a load slot:
   * either all are held by {@code min_interval}, or all run, however many arrived at once, and no
   * other trigger of the pipeline runs in between.
   *
   * @return how many were handled and whether some were held; empty when a stop came first (all
   *     were released)
   */
  private synchronized Optional<Batch> runTogether(
      Trigger trigger, List<Delivery> deliveries, ServeListener listener) {
    boolean slot = false;
    if (!stop.stopping() && (minInterval.isZero() || heldUntil(clock.instant()).isEmpty())) {
      // A target another process holds (a DuckDB file) is waited for before, not in, a load slot;
      // while the slot is not free, the target is left to other processes again.
      pipeline.target().awaitTurn();
      slot = loads.tryAcquire();
      if (!slot) {
        pipeline.target().idle();
      }
    }
    if (!slot && !acquireLoad()) {
      deliveries.forEach(delivery -> release(trigger, delivery, listener));
      return Optional.empty();
    }
    boolean held = false;
    int handled = 0;
    int systemFailureAttempt = 0;
    try {
      boolean runAllowed = heldUntil(clock.instant()).isEmpty();
      for (Delivery delivery : deliveries) {
        if (stop.stopping()) {
          release(trigger, delivery, listener);
          continue;
        }
        Handled outcome = handle(delivery, runAllowed);
        held |= outcome.held();
        if (outcome.failedOnSystem()) {
          systemFailureAttempt = Math.max(systemFailureAttempt, delivery.attempt());
        }
        listener.settled(trigger, outcome.acknowledged());
        outcome.report().ifPresent(listener::reported);
        handled++;
      }
    } finally {
      loads.release();
    }
    return Optional.of(new Batch(held, handled, systemFailureAttempt));
  }

  /**
   * Tells the channels that want failures of a trigger that could not be polled. Synchronized as
   * the runs are, which tell of themselves in their turn: a pipeline's notifications go out one at
   * a time, and what was told of an outage (marked, told, remembered) does not interleave with a
   * run of another trigger telling of itself.
   */
  private synchronized RunReport announceOutage(Trigger trigger, IOException failure) {
    return pipeline.announceFailure(
        RunOptions.LOAD.startedBy(pipeline.spec().mask(trigger.describe())), failure);
  }

  /**
   * Until the next delivery, other processes may use what the target holds (a DuckDB file).
   * Synchronized as the runs are: another trigger of the pipeline may be in the middle of one.
   */
  private synchronized void idle() {
    pipeline.target().idle();
    pipeline.target().turnEnded();
  }

  /** A duration as a pipeline writes it: {@code 1 day}, {@code 2 hours}, {@code 90 seconds}. */
  static String shown(Duration duration) {
    long seconds = duration.toSeconds();
    String[] units = {"day", "hour", "minute"};
    long[] lengths = {86_400, 3_600, 60};
    for (int i = 0; i < units.length; i++) {
      if (seconds > 0 && seconds % lengths[i] == 0) {
        long count = seconds / lengths[i];
        return count + " " + units[i] + (count == 1 ? "" : "s");
      }
    }
    return seconds + (seconds == 1 ? " second" : " seconds");
  }

  /**
   * What became of one poll's deliveries.
   *
   * @param systemFailureAttempt the highest attempt among those that failed on the system, 0 when
   *     none did
   */
  private record Batch(boolean held, int handled, int systemFailureAttempt) {}

  /**
   * How many attempts of a delivery that fails on the system a run until empty ({@code serve
   * --once}) makes before it ends (exit code 3) instead of waiting out the outage.
   */
  static final int ONCE_ATTEMPTS = 3;

  private static void release(Trigger trigger, Delivery delivery, ServeListener listener) {
    delivery.release(Duration.ZERO);
    listener.settled(trigger, false);
  }

  /** Takes a load slot, waiting while all are in use; false when a stop came first. */
  private boolean acquireLoad() {
    while (!stop.stopping()) {
      try {
        if (loads.tryAcquire(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
