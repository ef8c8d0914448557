package io.bucketload.app;

import io.bucketload.app.page.RunView;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.TriggerSpec;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.trigger.Backoff;
import io.bucketload.core.trigger.ServeListener;
import io.bucketload.core.trigger.StopSignal;
import io.bucketload.core.trigger.Trigger;
import io.bucketload.core.trigger.TriggeredRuns;
import io.bucketload.core.trigger.Triggers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline of a {@code serve} process: opens it (again and again with backoff while its target
 * or source cannot be reached, so that one pipeline's outage never stops the others), then serves
 * each of its triggers on a thread of its own until the stop, or until each is empty with {@code
 * --once}. Its runs take turns and share the process's load slots.
 */
final class ServedPipeline implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger("io.bucketload.serve");

  /** How long a pipeline that could not be opened waits before it tries again. */
  static final Backoff OPEN_BACKOFF = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5));

  /** What the service is told of its pipelines. Thread-safe; never throws. */
  interface Events {
    /**
     * The pipeline opened: its source and target answered.
     *
     * @param opened what it is, and the runs its ledger recorded before
     */
    void opened(PipelineSpec spec, ServePages.Opened opened);

    /** The pipeline could not be opened (or serving it failed) for this reason. */
    void failed(PipelineSpec spec, Exception problem, boolean willRetry);

    /** A poll of one of the pipeline's triggers brought deliveries. */
    void received(PipelineSpec spec, Trigger trigger, int count);

    /** A delivery was acknowledged or released. */
    void settled(PipelineSpec spec, Trigger trigger, boolean acknowledged);

    /** A trigger was polled: it can be reached. */
    void polled(PipelineSpec spec, Trigger trigger);

    /** A trigger could not be polled. */
    void unreachable(PipelineSpec spec, Trigger trigger, String reason);

    /** A run finished. */
    void reported(RunReport report);

    /** A trigger's outage began: the run that failed as a whole because of it. */
    void outage(RunReport report);
  }

  private final PipelineSpec spec;
  private final boolean once;
  private final StopSignal stop;
  private final Semaphore loads;
  private final Events events;

  ServedPipeline(PipelineSpec spec, boolean once, StopSignal stop, Semaphore loads, Events events) {
    this.spec = spec;
    this.once = once;
    this.stop = stop;
    this.loads = loads;
    this.events = events;
  }

  @Override
  public void run() {
    int attempt = 0;
    boolean told = false;
    while (!stop.stopping()) {
      attempt++;
      try (Pipeline pipeline = Pipeline.open(spec, LoadListener.NONE)) {
        serve(pipeline);
        return;
      } catch (ConfigException e) {
        events.failed(spec, e, false);
        return;
      } catch (RuntimeException e) {
        boolean retry = !once;
        events.failed(spec, e, retry);
        if (!told) {
          // Told once, as the outage starts (or at the first attempt whose notification a channel
          // took); the attempts that follow say nothing new.
          told = Pipeline.announceUnopened(spec, RunOptions.LOAD.startedBy("bucketload serve"), e);
        }
        if (!retry || stop.pause(OPEN_BACKOFF.delay(attempt))) {
          return;
        }
      }
    }
  }

  /** Opens the triggers and serves each on its own thread; returns when all have ended. */
  private void serve(Pipeline pipeline) {
    List<Trigger> triggers = new ArrayList<>();
    Runnable stopNotifying = pipeline::stopNotifying;
    stop.whenStopping(stopNotifying);
    try {
      for (TriggerSpec trigger : spec.triggers()) {
        triggers.add(
            Triggers.masked(Triggers.factoryFor(trigger).open(trigger, pipeline), spec::mask));
      }
      events.opened(spec, opened(pipeline, triggers));
      TriggeredRuns runs =
          new TriggeredRuns(
              pipeline,
              TriggeredRuns.DEFAULT_BACKOFF,
              spec.triggers().get(0).minInterval(),
              Clock.systemUTC(),
              stop,
              loads);
      List<Thread> threads = new ArrayList<>();
      for (Trigger trigger : triggers) {
        LOG.info("serving {} from {}", spec.name(), trigger.describe());
        Thread thread =
            new Thread(
                () -> serveSafely(runs, trigger),
                "bucketload-" + spec.name() + "-" + trigger.kind());
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        joinUninterruptibly(thread);
      }
    } finally {
      stop.forget(stopNotifying);
      triggers.forEach(Trigger::close);
    }
  }

  /**
   * What the history pages show of the pipeline as it opened, with the runs its ledger recorded:
   * read before any run starts (a SQL ledger shares the target's connection with loads). A ledger
   * that cannot be read leaves the pages to the runs that follow.
   */
  private ServePages.Opened opened(Pipeline pipeline, List<Trigger> triggers) {
    List<RunView> runs = List.of();
    boolean allRuns = true;
    try {
      Ledger ledger = pipeline.target().ledger();
      List<LedgerEntry> entries = ledger.history(spec.name(), ServePages.LEDGER_ENTRIES);
      List<String> newest =
          entries.stream()
              .map(LedgerEntry::runId)
              .distinct()
              .limit(ServePages.NOTIFIED_RUNS)
              .toList();
      runs =
          RunView.ofLedger(
              entries,
              ServePages.LEDGER_ENTRIES,
              ledger.notifications(spec.name(), newest),
              java.util.Set.copyOf(newest));
      allRuns = entries.size() < ServePages.LEDGER_ENTRIES;
    } catch (RuntimeException e) {
      LOG.warn(
          "[{}] the run history could not be read for the pages: {}",
          spec.name(),
          spec.mask(String.valueOf(e.getMessage())));
    }
    return new ServePages.Opened(
        spec.mask(pipeline.source().describe()),
        spec.mask(pipeline.target().describe() + ", table " + spec.target().table()),
        triggers,
        runs,
        allRuns);
  }

  /** Serves one trigger; an unexpected failure ends it with a report rather than silently. */
  private void serveSafely(TriggeredRuns runs, Trigger trigger) {
    ServeListener listener =
        new ServeListener() {
          @Override
          public void received(Trigger polled, int count) {
            events.received(spec, polled, count);
          }

          @Override
          public void settled(Trigger polled, boolean acknowledged) {
            events.settled(spec, polled, acknowledged);
          }

          @Override
          public void polled(Trigger polled) {
            events.polled(spec, polled);
          }

          @Override
          public void unreachable(Trigger polled, String reason) {
            events.unreachable(spec, polled, reason);
          }

          @Override
          public void reported(RunReport report) {
            events.reported(report);
          }

          @Override
          public void outage(RunReport report) {
            events.outage(report);
          }
        };
    int attempt = 0;
    while (!stop.stopping()) {
      try {
        runs.serve(trigger, once, listener);
        return;
      } catch (RuntimeException e) {
        // A defect, not an outage: reported, and the trigger served again after a pause.
        attempt++;
        events.failed(spec, e, !once);
        if (once || stop.pause(OPEN_BACKOFF.delay(attempt))) {
          return;
        }
      }
    }
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The pipeline served. */
  PipelineSpec spec() {
    return spec;
  }
}
