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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline for each {@link Delivery} of a trigger and settles it by the files' outcomes:
 * every outcome {@link FileOutcome#isFinal() final} (loaded, already loaded, failed on its data,
 * refused) acknowledges it; anything else (a system failure, a file set still incomplete, a file
 * another worker is loading) releases it with backoff. Files of other pipelines are ignored. The
 * same rule serves {@code bucketload serve} and the Lambda handler. Not thread-safe.
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
  private Optional<Instant> lastRun = Optional.empty();
  private boolean lastRunRead;

  /** Whether the deliveries of the poll in hand may run whatever min_interval says. */
  private boolean runAllowed;

  /** Whether the last delivery handled was held by min_interval. */
  private boolean held;

  private final AtomicBoolean stopping = new AtomicBoolean();

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
    this.pipeline = pipeline;
    this.backoff = backoff;
    this.minInterval = minInterval;
    this.clock = clock;
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
   */
  public record Handled(boolean acknowledged, Optional<RunReport> report, int ignored) {}

  /**
   * Runs what a delivery names and settles it. Never throws for a run's failure: a source that
   * cannot be listed or an unexpected error releases the delivery.
   */
  public Handled handle(Delivery delivery) {
    List<String> ours = new ArrayList<>();
    int ignored = 0;
    for (String name : delivery.files()) {
      if (pipeline.source().owns(name)) {
        ours.add(name);
      } else {
        ignored++;
        LOG.info("ignored {}: not under {}", name, pipeline.source().describe());
      }
    }
    if (!delivery.allFiles() && ours.isEmpty()) {
      delivery.acknowledge();
      return new Handled(true, Optional.empty(), ignored);
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
            minInterval);
        held = true;
        delivery.release(Duration.between(started, allowed.get()));
        return new Handled(false, Optional.empty(), ignored);
      }
    }
    RunReport report;
    try {
      report = pipeline.run(delivery.allFiles() ? List.of() : ours, RunOptions.LOAD);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "[{}] delivery {} released: {}",
          pipeline.spec().name(),
          delivery.id(),
          pipeline.spec().mask(String.valueOf(e.getMessage())));
      delivery.release(backoff.delay(delivery.attempt()));
      return new Handled(false, Optional.empty(), ignored);
    }
    if (report.files().stream().anyMatch(file -> file.outcome() instanceof FileOutcome.Loaded)) {
      // Only a run that loaded something counts: a run that found files still settling, or the
      // target down, does not hold its own retry for a whole interval.
      lastRun = Optional.of(started);
    }
    boolean done = report.files().stream().map(FileReport::outcome).allMatch(FileOutcome::isFinal);
    if (done) {
      delivery.acknowledge();
    } else {
      Duration delay = backoff.delay(delivery.attempt());
      LOG.info(
          "[{}] delivery {} released for another attempt in {} s",
          pipeline.spec().name(),
          delivery.id(),
          delay.toSeconds());
      delivery.release(delay);
    }
    return new Handled(done, Optional.of(report), ignored);
  }

  /** Asks {@link #serve} to stop after the delivery in hand. Safe from any thread. */
  public void stop() {
    synchronized (stopping) {
      stopping.set(true);
      stopping.notifyAll();
    }
  }

  /** Whether {@link #stop()} was called. */
  public boolean stopping() {
    return stopping.get();
  }

  /**
   * Polls the trigger and handles its deliveries until {@link #stop()} or, with {@code untilEmpty},
   * until a poll brings nothing. Deliveries received after a stop was asked are released at once,
   * untouched. When the trigger cannot be reached, waits with backoff (the wait ends early on a
   * stop) and polls again.
   *
   * @param trigger what to poll
   * @param untilEmpty whether to return once a poll brings nothing
   * @param onReport called with each run's report
   * @return the number of deliveries handled
   */
  public int serve(Trigger trigger, boolean untilEmpty, Consumer<RunReport> onReport) {
    int handled = 0;
    int failures = 0;
    while (!stopping.get()) {
      List<Delivery> deliveries;
      try {
        deliveries = trigger.poll();
        failures = 0;
      } catch (IOException e) {
        failures++;
        Duration wait = backoff.delay(failures);
        LOG.warn(
            "[{}] {}; polling again in {} s",
            pipeline.spec().name(),
            pipeline.spec().mask(e.getMessage()),
            wait.toSeconds());
        if (pause(wait)) {
          break;
        }
        continue;
      }
      // The deliveries of one poll run together: either all are held by min_interval, or all
      // run, however many arrived at once.
      if (!deliveries.isEmpty()) {
        held = false;
      }
      runAllowed = !deliveries.isEmpty() && heldUntil(clock.instant()).isEmpty();
      try {
        for (Delivery delivery : deliveries) {
          if (stopping.get()) {
            delivery.release(Duration.ZERO);
            continue;
          }
          Handled outcome = handle(delivery);
          outcome.report().ifPresent(onReport);
          handled++;
        }
      } finally {
        runAllowed = false;
      }
      // Work a schedule or a watch got back comes again by itself, unless it waits for
      // min_interval, which --until-empty does not wait for.
      if (untilEmpty && deliveries.isEmpty() && !(trigger.pending() && !held)) {
        break;
      }
    }
    return handled;
  }

  /** Waits, waking early when a stop is asked; returns whether it was. */
  private boolean pause(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (stopping) {
      while (!stopping.get()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          stopping.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return true;
        }
      }
    }
    return true;
  }
}
