package io.bucketload.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.MemoryTarget;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggeredRunsTest {
  @TempDir Path dir;
  private final MemoryTarget target = new MemoryTarget();
  private Pipeline pipeline;
  private TriggeredRuns runs;

  /** A delivery that remembers how it was settled. */
  private static final class Recorded implements Delivery {
    private final List<String> files;
    private final boolean all;
    private final int attempt;
    Optional<Duration> released = Optional.empty();
    int acknowledgements;

    Recorded(List<String> files, boolean all, int attempt) {
      this.files = files;
      this.all = all;
      this.attempt = attempt;
    }

    @Override
    public String id() {
      return "d-" + files;
    }

    @Override
    public List<String> files() {
      return files;
    }

    @Override
    public boolean allFiles() {
      return all;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public void acknowledge() {
      acknowledgements++;
    }

    @Override
    public Optional<Duration> release(Duration delay) {
      released = Optional.of(delay);
      return released;
    }
  }

  /** A trigger handing out prepared polls, then nothing. */
  private static class Scripted implements Trigger {
    final Deque<Object> polls = new ArrayDeque<>();
    int closed;

    /** Whether its work comes back by itself, as a schedule's or a watch's does. */
    boolean givesBack;

    @Override
    public boolean pending() {
      return givesBack && !polls.isEmpty();
    }

    @Override
    public String describe() {
      return "scripted";
    }

    @Override
    public String kind() {
      return "scripted";
    }

    @Override
    public List<Delivery> poll() throws IOException {
      Object next = polls.poll();
      if (next instanceof IOException e) {
        throw e;
      }
      @SuppressWarnings("unchecked")
      List<Delivery> deliveries = next == null ? List.of() : (List<Delivery>) next;
      return deliveries;
    }

    @Override
    public void close() {
      closed++;
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(dir.resolve("landing"));
    pipeline = Pipeline.withTarget(spec("*.csv"), target, LoadListener.NONE, Clock.systemUTC());
    runs = new TriggeredRuns(pipeline, new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(15)));
  }

  /** An upsert of landing/'s files that {@code match}, into table t of the memory target. */
  private PipelineSpec spec(String match) {
    return new PipelineSpecReader()
        .read(
            new StringReader(
                """
                name: triggered
                source: {path: landing, settle: 0s, match: "%s"}
                schema: {key: [id], columns: [{name: id, type: long}]}
                target: {table: t, mode: upsert}
                """
                    .formatted(match)),
            dir.resolve("pipeline.yaml"),
            dir);
  }

  private void file(String name, String content) throws IOException {
    Files.writeString(dir.resolve("landing").resolve(name), content);
  }

  @Test
  void minIntervalHoldsDeliveriesUntilItPassedAlsoAcrossARestart() throws IOException {
    HandClock clock = new HandClock();
    Pipeline timed = Pipeline.withTarget(pipeline.spec(), target, LoadListener.NONE, clock);
    TriggeredRuns daily = new TriggeredRuns(timed, runsBackoff(), Duration.ofDays(1), clock);
    file("a.csv", "id\n1\n");
    Recorded first = new Recorded(List.of("a.csv"), false, 1);
    assertThat(daily.handle(first).acknowledged()).isTrue();

    clock.advance(Duration.ofHours(3));
    file("b.csv", "id\n2\n");
    Recorded soon = new Recorded(List.of("b.csv"), false, 1);
    TriggeredRuns.Handled held = daily.handle(soon);
    TriggeredRuns restarted = new TriggeredRuns(timed, runsBackoff(), Duration.ofDays(1), clock);
    Recorded afterRestart = new Recorded(List.of("b.csv"), false, 2);
    TriggeredRuns.Handled stillHeld = restarted.handle(afterRestart);

    assertThat(held.acknowledged()).isFalse();
    assertThat(held.report()).as("nothing ran").isEmpty();
    assertThat(soon.released).isPresent();
    assertThat(soon.released.get()).isBetween(Duration.ofHours(20), Duration.ofHours(21));
    assertThat(stillHeld.report()).as("the last run is read from the ledger").isEmpty();
    assertThat(target.rows("t")).hasSize(1);

    clock.advance(Duration.ofHours(21));
    Recorded later = new Recorded(List.of("b.csv"), false, 3);
    TriggeredRuns.Handled ran = restarted.handle(later);
    assertThat(ran.acknowledged()).as("%s", ran.report().map(r -> r.files().toString())).isTrue();
    assertThat(target.rows("t")).hasSize(2);
  }

  @Test
  void theDeliveriesOfOnePollRunTogetherAndALaterPollWithinMinIntervalIsHeld() throws IOException {
    HandClock clock = new HandClock();
    Pipeline timed = Pipeline.withTarget(pipeline.spec(), target, LoadListener.NONE, clock);
    TriggeredRuns daily = new TriggeredRuns(timed, runsBackoff(), Duration.ofDays(1), clock);
    file("a.csv", "id\n1\n");
    file("b.csv", "id\n2\n");
    file("c.csv", "id\n3\n");
    Recorded a = new Recorded(List.of("a.csv"), false, 1);
    Recorded b = new Recorded(List.of("b.csv"), false, 1);
    Recorded c = new Recorded(List.of("c.csv"), false, 1);
    Scripted trigger = new Scripted();
    trigger.polls.add(List.<Delivery>of(a, b));
    trigger.polls.add(List.<Delivery>of(c));

    daily.serve(trigger, true, report -> {});

    assertThat(a.acknowledgements).isOne();
    assertThat(b.acknowledgements).as("the same poll: not held").isOne();
    assertThat(c.acknowledgements).isZero();
    assertThat(c.released).hasValue(Duration.ofDays(1));
    assertThat(target.rows("t")).hasSize(2);
  }

  @Test
  void twoTriggersOfOnePipelineDeliveringAtOnceStartOneRunWithinMinInterval() throws Exception {
    HandClock clock = new HandClock();
    Pipeline timed = Pipeline.withTarget(pipeline.spec(), target, LoadListener.NONE, clock);
    TriggeredRuns daily =
        new TriggeredRuns(
            timed,
            runsBackoff(),
            Duration.ofDays(1),
            clock,
            new StopSignal(),
            new java.util.concurrent.Semaphore(2));
    file("a.csv", "id\n1\n");
    file("b.csv", "id\n2\n");
    Recorded a = new Recorded(List.of("a.csv"), false, 1);
    Recorded b = new Recorded(List.of("b.csv"), false, 1);
    Scripted watch = new Scripted();
    watch.polls.add(List.<Delivery>of(a));
    Scripted schedule = new Scripted();
    schedule.polls.add(List.<Delivery>of(b));

    serveTogether(daily, watch, schedule);

    assertThat(a.acknowledgements + b.acknowledgements).as("one run").isOne();
    assertThat(List.of(a.released, b.released))
        .as("the other is held for the interval")
        .containsOnlyOnce(Optional.of(Duration.ofDays(1)));
    assertThat(target.rows("t")).hasSize(1);
  }

  /** Serves the two triggers until empty, each on a thread of its own; waits up to 60 s each. */
  private static void serveTogether(TriggeredRuns runs, Trigger first, Trigger second)
      throws Exception {
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Future<Integer> one =
          threads.submit(() -> runs.serve(first, true, report -> {}));
      java.util.concurrent.Future<Integer> two =
          threads.submit(() -> runs.serve(second, true, report -> {}));
      one.get(60, java.util.concurrent.TimeUnit.SECONDS);
      two.get(60, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }
  }

  private static Backoff runsBackoff() {
    return new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(15));
  }

  @Test
  void aLoadedFileAndAFileThatFailedOnItsDataAreAcknowledged() throws IOException {
    file("good.csv", "id\n1\n");
    file("bad.csv", "nothing\n1\n");
    Recorded good = new Recorded(List.of("good.csv"), false, 1);
    Recorded bad = new Recorded(List.of("bad.csv"), false, 1);

    TriggeredRuns.Handled loaded = runs.handle(good);
    TriggeredRuns.Handled failed = runs.handle(bad);

    assertThat(loaded.acknowledged()).isTrue();
    assertThat(good.acknowledgements).isOne();
    assertThat(failed.acknowledged()).isTrue();
    assertThat(failed.report().orElseThrow().files().get(0).outcome())
        .isInstanceOf(FileOutcome.FailedOnData.class);
    assertThat(bad.acknowledgements).isOne();
    assertThat(bad.released).isEmpty();
  }

  @Test
  void theEventsOfFilesThePipelineWroteAndOfFilesGoneSinceAreAcknowledgedQuietly()
      throws IOException {
    Files.createDirectories(dir.resolve("landing/in/rejected"));
    Files.writeString(dir.resolve("landing/in/rejected/a.rejects.csv"), "line,column\n");
    TriggeredRuns deep =
        new TriggeredRuns(
            Pipeline.withTarget(spec("**.csv"), target, LoadListener.NONE, Clock.systemUTC()),
            new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(15)));
    Recorded rejects = new Recorded(List.of("in/rejected/a.rejects.csv"), false, 1);
    Recorded removed = new Recorded(List.of("in/removed.csv"), false, 1);

    TriggeredRuns.Handled ignored = deep.handle(rejects);
    TriggeredRuns.Handled gone = deep.handle(removed);

    assertThat(ignored.acknowledged()).isTrue();
    assertThat(ignored.report()).isEmpty();
    assertThat(ignored.ignored()).isOne();
    assertThat(gone.acknowledged()).isTrue();
    io.bucketload.core.run.RunReport report = gone.report().orElseThrow();
    assertThat(report.files()).isEmpty();
    assertThat(report.worstFault()).isEmpty();
    assertThat(report.notes())
        .singleElement()
        .asString()
        .startsWith("in/removed.csv: ")
        .endsWith("(removed since its event; nothing to load)");
  }

  @Test
  void aSystemFailureReleasesTheDeliveryWithABackoffThatGrowsWithItsAttempts() throws IOException {
    file("a.csv", "id\n1\n");
    target.failWrites(Optional.of(() -> TargetException.system("database down", null, true)));
    Recorded first = new Recorded(List.of("a.csv"), false, 1);
    Recorded fifth = new Recorded(List.of("a.csv"), false, 5);

    runs.handle(first);
    runs.handle(fifth);

    assertThat(first.acknowledgements).isZero();
    assertThat(first.released.orElseThrow())
        .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
    assertThat(fifth.released.orElseThrow())
        .isBetween(Duration.ofSeconds(80), Duration.ofSeconds(160));
  }

  @Test
  void runOnceEndsAtTheThirdAttemptThatFailsOnTheSystemInsteadOfWaitingOutTheOutage()
      throws IOException {
    file("a.csv", "id\n1\n");
    target.failWrites(Optional.of(() -> TargetException.system("database down", null, true)));
    Scripted trigger = new Scripted();
    trigger.givesBack = true;
    List<Recorded> attempts = new ArrayList<>();
    for (int attempt = 1; attempt <= 5; attempt++) {
      Recorded delivery = new Recorded(List.of("a.csv"), false, attempt);
      attempts.add(delivery);
      trigger.polls.add(List.of(delivery));
    }
    List<String> unreachable = new ArrayList<>();

    int handled = runs.serve(trigger, true, noting(unreachable));

    assertThat(handled).isEqualTo(TriggeredRuns.ONCE_ATTEMPTS);
    assertThat(attempts.get(2).released).isPresent();
    assertThat(attempts.get(3).released).as("not polled").isEmpty();
    // Told as the trigger's failure, so that --once exits 3 whether or not a run reported one.
    assertThat(unreachable).containsExactly("attempt 3 failed on the system; --once ends after 3");
  }

  @Test
  void runOnceWaitsForAQueuesMessagesToComeBackByThemselves() throws IOException {
    file("a.csv", "id\n1\n");
    target.failWrites(Optional.of(() -> TargetException.system("database down", null, true)));
    Scripted queue = new Scripted();
    // A message received for the fifth time in another process's runs, then the rest of the queue.
    queue.polls.add(List.of(new Recorded(List.of("a.csv"), false, 5)));
    queue.polls.add(List.of(new Recorded(List.of("a.csv"), false, 1)));

    int handled = runs.serve(queue, true, report -> {});

    assertThat(handled).isEqualTo(2);
  }

  @Test
  void minIntervalIsToldAsAPipelineWritesIt() {
    assertThat(TriggeredRuns.shown(Duration.ofHours(24))).isEqualTo("1 day");
    assertThat(TriggeredRuns.shown(Duration.ofHours(2))).isEqualTo("2 hours");
    assertThat(TriggeredRuns.shown(Duration.ofMinutes(90))).isEqualTo("90 minutes");
    assertThat(TriggeredRuns.shown(Duration.ofSeconds(45))).isEqualTo("45 seconds");
  }

  @Test
  void filesOfOtherPipelinesAreIgnoredAndTheDeliveryAcknowledgedWithoutARun() {
    Recorded others = new Recorded(List.of("notes.txt", "../elsewhere/a.csv"), false, 1);

    TriggeredRuns.Handled handled = runs.handle(others);

    assertThat(handled.ignored()).isEqualTo(2);
    assertThat(handled.report()).isEmpty();
    assertThat(others.acknowledgements).isOne();
    assertThat(target.transactions()).isZero();
  }

  @Test
  void aDeliveryForEveryFileLoadsWhatTheSourceHolds() throws IOException {
    file("a.csv", "id\n1\n");
    file("b.csv", "id\n2\n");

    TriggeredRuns.Handled handled = runs.handle(new Recorded(List.of(), true, 1));

    assertThat(handled.report().orElseThrow().files()).hasSize(2);
    assertThat(target.rows("t")).hasSize(2);
  }

  @Test
  void aServiceBacksOffWhenTheTriggerFailsAndPollsAgain() throws IOException {
    file("a.csv", "id\n1\n");
    Scripted trigger = new Scripted();
    Recorded delivery = new Recorded(List.of("a.csv"), false, 1);
    trigger.polls.add(new IOException("queue unreachable"));
    trigger.polls.add(List.of(delivery));
    TriggeredRuns quick =
        new TriggeredRuns(pipeline, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)));
    List<io.bucketload.core.run.RunReport> reports = new ArrayList<>();

    int handled = quick.serve(trigger, false, collecting(reports, quick));

    assertThat(handled).isOne();
    // The outage is told as a run that failed as a whole, for the service's history and /runs
    // list it; then the delivery's run.
    assertThat(reports).hasSize(2);
    assertThat(reports.get(0).files())
        .singleElement()
        .satisfies(
            failed -> assertThat(failed.error()).hasValue("the run failed: queue unreachable"));
    assertThat(reports.get(1).files())
        .singleElement()
        .extracting(io.bucketload.core.run.FileReport::status)
        .isEqualTo(io.bucketload.core.target.FileStatus.LOADED);
    assertThat(delivery.acknowledgements).isOne();
  }

  @Test
  void anUnreachableTriggerIsNotifiedOncePerOutage() throws IOException {
    file("a.csv", "id\n1\n");
    List<io.bucketload.core.run.RunReport> told = new ArrayList<>();
    io.bucketload.core.notify.Notifier recording =
        notifier(
            "recording",
            report ->
                io.bucketload.core.notify.RunMessage.of(report)
                    .wanted(io.bucketload.core.spec.NotifySpec.DEFAULT_ON),
            told::add);
    Pipeline notifying =
        Pipeline.withTarget(
            pipeline.spec(), target, List.of(recording), LoadListener.NONE, Clock.systemUTC());
    Scripted trigger = new Scripted();
    trigger.polls.add(new IOException("landing: source.path is not a folder"));
    trigger.polls.add(new IOException("landing: source.path is not a folder"));
    trigger.polls.add(List.of());
    trigger.polls.add(new IOException("landing: source.path is not a folder"));
    trigger.polls.add(List.of(new Recorded(List.of("a.csv"), false, 1)));
    TriggeredRuns quick =
        new TriggeredRuns(notifying, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)));

    List<io.bucketload.core.run.RunReport> reported = new ArrayList<>();
    quick.serve(trigger, false, collecting(reported, quick));

    assertThat(told).hasSize(3);
    // What was told is what the service reports, once per outage, with what was sent of it.
    assertThat(reported)
        .extracting(io.bucketload.core.run.RunReport::runId)
        .containsExactlyElementsOf(
            told.stream().map(io.bucketload.core.run.RunReport::runId).toList());
    assertThat(reported.get(0).notifications()).hasSize(1);
    for (io.bucketload.core.run.RunReport outage : told.subList(0, 2)) {
      assertThat(outage.files())
          .singleElement()
          .satisfies(
              failed ->
                  assertThat(failed.error())
                      .hasValue("the run failed: landing: source.path is not a folder"));
      assertThat(outage.worstFault()).contains(io.bucketload.core.error.Fault.SYSTEM);
    }
    assertThat(told.get(2).files())
        .singleElement()
        .extracting(io.bucketload.core.run.FileReport::status)
        .isEqualTo(io.bucketload.core.target.FileStatus.LOADED);
  }

  /**
   * One trigger of a pipeline cannot be polled while another's run is in progress: the outage is
   * told once that run has ended (and told of itself), not in the middle of it. The run's
   * notification waits up to 3 s for the outage's to start; it must not start.
   */
  @Test
  void anOutageOfOneTriggerIsToldBetweenTheRunsOfAnother() throws Exception {
    file("a.csv", "id\n1\n");
    java.util.concurrent.CountDownLatch outagePolled = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch outageTold = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger telling =
        new java.util.concurrent.atomic.AtomicInteger();
    List<String> overlaps = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> told = java.util.Collections.synchronizedList(new ArrayList<>());
    io.bucketload.core.notify.Notifier everything =
        notifier(
            "everything",
            report -> true,
            report -> {
              boolean outage =
                  report.files().get(0).status() != io.bucketload.core.target.FileStatus.LOADED;
              if (telling.getAndIncrement() > 0) {
                overlaps.add(report.files().get(0).file());
              }
              try {
                if (!outage) {
                  // The run's notification: the other trigger's poll fails meanwhile.
                  assertThat(outagePolled.await(30, java.util.concurrent.TimeUnit.SECONDS))
                      .isTrue();
                  assertThat(outageTold.await(3, java.util.concurrent.TimeUnit.SECONDS))
                      .as("the outage told during the run")
                      .isFalse();
                } else {
                  outageTold.countDown();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                telling.decrementAndGet();
                told.add(outage ? "outage" : "run");
              }
            });
    Pipeline notifying =
        Pipeline.withTarget(
            pipeline.spec(), target, List.of(everything), LoadListener.NONE, Clock.systemUTC());
    TriggeredRuns both = new TriggeredRuns(notifying, runsBackoff());
    Scripted queue = new Scripted();
    queue.polls.add(List.<Delivery>of(new Recorded(List.of("a.csv"), false, 1)));
    Trigger unreachable =
        new Scripted() {
          @Override
          public List<Delivery> poll() throws IOException {
            // Polled once the other trigger's run is telling of itself (or after 30 s).
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (telling.get() == 0 && System.nanoTime() - deadline < 0) {
              java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            outagePolled.countDown();
            throw new IOException("landing: source.path is not a folder");
          }
        };

    serveTogether(both, queue, unreachable);

    assertThat(told).containsExactly("run", "outage");
    assertThat(overlaps).isEmpty();
    assertThat(target.rows("t")).hasSize(1);
  }

  @Test
  void runOnceAnUnreachableTriggerEndsItsServingAsASystemFailure() {
    Scripted trigger = new Scripted();
    trigger.polls.add(new IOException("queue unreachable"));
    trigger.polls.add(List.of(new Recorded(List.of("a.csv"), false, 1)));
    List<String> unreachable = new ArrayList<>();

    int handled = runs.serve(trigger, true, noting(unreachable));

    assertThat(handled).isZero();
    assertThat(unreachable).containsExactly("queue unreachable");
    assertThat(trigger.polls).as("not polled again").hasSize(1);
  }

  @Test
  void aStoppedServiceTakesNoWork() throws IOException {
    file("a.csv", "id\n1\n");
    Scripted trigger = new Scripted();
    Recorded delivery = new Recorded(List.of("a.csv"), false, 1);
    trigger.polls.add(List.of(delivery));
    runs.stop();

    int handled = runs.serve(trigger, true, report -> {});

    assertThat(handled).isZero();
    assertThat(runs.stopping()).isTrue();
    assertThat(target.transactions()).isZero();
  }

  /**
   * A listener that collects the reports of runs and of outages in the order told, and stops {@code
   * runs} at the first run that loaded a file.
   */
  private static ServeListener collecting(
      List<io.bucketload.core.run.RunReport> reports, TriggeredRuns runs) {
    return new ServeListener() {
      @Override
      public void reported(io.bucketload.core.run.RunReport report) {
        reports.add(report);
        if (report.files().get(0).status() == io.bucketload.core.target.FileStatus.LOADED) {
          runs.stop();
        }
      }

      @Override
      public void outage(io.bucketload.core.run.RunReport report) {
        reports.add(report);
      }
    };
  }

  /** A listener that notes why the trigger was unreachable. */
  private static ServeListener noting(List<String> unreachable) {
    return new ServeListener() {
      @Override
      public void unreachable(Trigger polled, String reason) {
        unreachable.add(reason);
      }

      @Override
      public void reported(io.bucketload.core.run.RunReport report) {}
    };
  }

  /**
   * A channel named {@code name} that wants the reports {@code wants} accepts and hands each to
   * {@code finished}.
   */
  private static io.bucketload.core.notify.Notifier notifier(
      String name,
      java.util.function.Predicate<io.bucketload.core.run.RunReport> wants,
      java.util.function.Consumer<io.bucketload.core.run.RunReport> finished) {
    return new io.bucketload.core.notify.Notifier() {
      @Override
      public String describe() {
        return name;
      }

      @Override
      public boolean wants(io.bucketload.core.run.RunReport report) {
        return wants.test(report);
      }

      @Override
      public void runFinished(io.bucketload.core.run.RunReport report) {
        finished.accept(report);
      }
    };
  }
}
