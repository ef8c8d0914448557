package io.bucketload.core.trigger;

import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import java.io.IOException;
import java.time.Duration;
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
  private final AtomicBoolean stopping = new AtomicBoolean();

  /**
   * Creates the runs.
   *
   * @param pipeline the pipeline the deliveries' files load into
   * @param backoff how long a released delivery waits, by its attempt
   */
  public TriggeredRuns(Pipeline pipeline, Backoff backoff) {
    this.pipeline = pipeline;
    this.backoff = backoff;
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
      for (Delivery delivery : deliveries) {
        if (stopping.get()) {
          delivery.release(Duration.ZERO);
          continue;
        }
        Handled outcome = handle(delivery);
        outcome.report().ifPresent(onReport);
        handled++;
      }
      if (untilEmpty && deliveries.isEmpty()) {
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
