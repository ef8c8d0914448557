package io.bucketload.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {
  private static final Instant MONDAY_0700 = Instant.parse("2026-11-30T07:00:00Z");

  @Test
  void aScheduleThatNeverRanIsDueAtOnceAndARateRunsAPeriodAfterTheLastRun() {
    Schedule fiveDays = Schedule.parse("rate(5 days)", ZoneOffset.UTC);

    assertThat(fiveDays.next(Optional.empty(), MONDAY_0700)).hasValue(MONDAY_0700);
    assertThat(fiveDays.next(Optional.of(MONDAY_0700), MONDAY_0700))
        .hasValue(MONDAY_0700.plus(Duration.ofDays(5)));
    assertThat(
            Schedule.parse("rate(1 minute)", ZoneOffset.UTC)
                .next(Optional.of(MONDAY_0700), MONDAY_0700))
        .hasValue(MONDAY_0700.plusSeconds(60));
  }

  @Test
  void cronFollowsAwsFieldsInTheGivenTimeZone() {
    Schedule weekdays = Schedule.parse("cron(0 6 ? * MON-FRI *)", ZoneOffset.UTC);
    Schedule firstOfMonth = Schedule.parse("cron(30 8 1 * ? *)", ZoneId.of("Europe/Paris"));

    assertThat(weekdays.next(Optional.of(MONDAY_0700), MONDAY_0700))
        .hasValue(Instant.parse("2026-12-01T06:00:00Z"));
    assertThat(weekdays.next(Optional.of(Instant.parse("2026-12-04T06:00:00Z")), MONDAY_0700))
        .as("Friday's run is followed by Monday's")
        .hasValue(Instant.parse("2026-12-07T06:00:00Z"));
    assertThat(firstOfMonth.next(Optional.of(MONDAY_0700), MONDAY_0700))
        .hasValue(Instant.parse("2026-12-01T07:30:00Z"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rate(1 days)        | singular for 1 and plural above: rate(1 day), rate(2 days)",
        "rate(2 minute)      | singular for 1 and plural above: rate(1 minute), rate(2 minutes)",
        "rate(0 hours)       | the value is a whole number from 1",
        "rate(5 weeks)       | the unit minute, hour or day",
        "cron(0 6 * * * *)   | exactly one of day-of-month (3rd field) and day-of-week (5th) must be ?",
        "cron(0 6 * *)       | has 4 fields; AWS cron has 6",
        "cron(0 25 ? * * *)  | is not a cron expression AWS accepts",
        "cron(0/0 * * * ? *) | '0/0' steps by 0; a step (/N) is a whole number from 1",
        "every day           | is not a schedule; write rate(5 days) or cron(0 6 ? * MON-FRI *)"
      })
  void anExpressionAwsWouldRefuseIsRefusedSayingWhatAwsAccepts(String expression, String message) {
    assertThatThrownBy(() -> Schedule.parse(expression, ZoneOffset.UTC))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aCronThatNoDateFromNowOnMatchesIsRefusedWhenAServiceStartsIt() {
    java.time.Instant now = java.time.Instant.parse("2026-12-04T12:00:00Z");
    for (String never : java.util.List.of("cron(0 0 30 2 ? *)", "cron(0 0 1 1 ? 2020)")) {
      Schedule schedule = Schedule.parse(never, ZoneOffset.UTC);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> schedule.refuseNeverDue(now))
          .isInstanceOf(io.bucketload.core.error.ConfigException.class)
          .hasMessage("'" + never + "' is never due from now on: no date matches it after today");
    }
    // Years EventBridge takes, beyond the century Quartz looks ahead: not judged.
    Schedule.parse("cron(0 0 1 1 ? 2150)", ZoneOffset.UTC).refuseNeverDue(now);
    Schedule.parse("cron(0 6 ? * MON-FRI *)", ZoneOffset.UTC).refuseNeverDue(now);
  }
}
