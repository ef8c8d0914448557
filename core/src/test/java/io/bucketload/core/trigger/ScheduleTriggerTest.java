package io.bucketload.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A schedule as a trigger, with time moved by hand. */
class ScheduleTriggerTest {

  private final HandClock clock = new HandClock();
  private final ScheduleTrigger trigger =
      new ScheduleTrigger(Schedule.parse("rate(1 day)", ZoneOffset.UTC), clock, Duration.ZERO);

  @Test
  void dueAtOnceThenOnceAPeriodAfterTheLastRunForEveryFile() {
    List<Delivery> first = trigger.poll();
    assertThat(first).hasSize(1);
    assertThat(first.get(0).allFiles()).isTrue();
    assertThat(first.get(0).attempt()).isOne();
    first.get(0).acknowledge();

    assertThat(trigger.poll()).isEmpty();
    clock.advance(Duration.ofHours(23));
    assertThat(trigger.poll()).isEmpty();
    clock.advance(Duration.ofHours(1));
    List<Delivery> second = trigger.poll();
    assertThat(second).hasSize(1);
    assertThat(second.get(0).id()).isEqualTo("schedule rate(1 day) at 2026-12-01T07:00:00Z");
  }

  @Test
  void aReleasedRunComesBackAfterItsDelayCountingAttempts() {
    Delivery run = trigger.poll().get(0);
    assertThat(trigger.poll()).as("handed out, not settled").isEmpty();
    run.release(Duration.ofSeconds(10));

    assertThat(trigger.poll()).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    Delivery again = trigger.poll().get(0);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.id()).isEqualTo(run.id());
    again.acknowledge();
    clock.advance(Duration.ofHours(23).plusMinutes(59));
    assertThat(trigger.poll()).as("the next run counts from the due time").isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(trigger.poll()).hasSize(1);
  }

  @Test
  void runsMissedWhileARunTookLongAreSkippedNotCaughtUp() {
    ScheduleTrigger often =
        new ScheduleTrigger(
            Schedule.parse("rate(5 minutes)", ZoneOffset.UTC), clock, Duration.ZERO);
    Delivery run = often.poll().get(0);
    clock.advance(Duration.ofHours(2));
    run.acknowledge();

    assertThat(often.poll()).as("no back-to-back runs for the 24 missed").isEmpty();
    clock.advance(Duration.ofMinutes(5));
    assertThat(often.poll()).hasSize(1);
  }

  @Test
  void aRestartedScheduleNeitherSkipsADueRunNorRunsItTwice() {
    LastRunStore store = LastRunStore.inMemory();
    Schedule daily = Schedule.parse("rate(1 day)", ZoneOffset.UTC);
    ScheduleTrigger before = new ScheduleTrigger(daily, clock, Duration.ZERO, store);
    before.poll().get(0).acknowledge();
    clock.advance(Duration.ofHours(1));

    ScheduleTrigger restarted = new ScheduleTrigger(daily, clock, Duration.ZERO, store);
    assertThat(restarted.poll()).as("ran an hour ago").isEmpty();
    clock.advance(Duration.ofHours(23));
    Delivery due = restarted.poll().get(0);
    // Stopped before the due run was settled: the next start runs it.
    ScheduleTrigger again = new ScheduleTrigger(daily, clock, Duration.ZERO, store);
    assertThat(again.poll()).as("the due run, not skipped").hasSize(1);
    assertThat(due.id()).endsWith("2026-12-01T07:00:00Z");
  }

  @Test
  void aStoreThatCannotBeReadIsASystemFailureOfOpening() {
    LastRunStore down =
        new LastRunStore() {
          @Override
          public java.util.Optional<java.time.Instant> read() {
            throw io.bucketload.core.error.TargetException.system(
                "connection refused", new IllegalStateException(), true);
          }

          @Override
          public void write(java.time.Instant at) {}
        };
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new ScheduleTrigger(
                    Schedule.parse("rate(1 day)", ZoneOffset.UTC), clock, Duration.ZERO, down))
        .isInstanceOf(io.bucketload.core.error.TargetException.class)
        .hasMessageContaining("connection refused");
  }
}
