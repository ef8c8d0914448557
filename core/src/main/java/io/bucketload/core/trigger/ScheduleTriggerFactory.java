package io.bucketload.core.trigger;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.TriggerSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * {@code trigger: {schedule: rate(5 days)}} or {@code {schedule: "cron(0 6 ? * MON-FRI *)",
 * timezone: Europe/Paris}}: runs the pipeline over every matching file when the schedule is due.
 */
public final class ScheduleTriggerFactory implements TriggerFactory {
  /** How long a poll waits for the schedule before it returns, so that a stop is noticed. */
  static final Duration POLL_WAIT = Duration.ofSeconds(1);

  @Override
  public String type() {
    return "schedule";
  }

  @Override
  public void check(TriggerSpec spec) {
    schedule(spec);
  }

  /**
   * The spec's schedule, in its {@code timezone} (UTC unless given).
   *
   * @throws ConfigException naming the key
   */
  public static Schedule schedule(TriggerSpec spec) {
    return Schedule.parse(spec.address(), zone(spec));
  }

  /**
   * The time zone of the spec's {@code cron} fields: {@code timezone}, UTC unless given.
   *
   * @throws ConfigException naming the key, also for a key schedules do not have
   */
  public static ZoneId zone(TriggerSpec spec) {
    spec.settings().allowOnly(TriggerSpec.keysOf("schedule"));
    ZoneId zone;
    try {
      zone = spec.settings().get("timezone").map(ZoneId::of).orElse(ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      throw spec.settings()
          .error(
              "timezone",
              "unknown time zone '"
                  + spec.settings().get("timezone").orElse("")
                  + "'; write a region such as Europe/Paris, or UTC");
    }
    return zone;
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConfigException also for a {@code cron} expression no date from now on matches
   */
  @Override
  public Trigger open(TriggerSpec spec) {
    Schedule schedule = schedule(spec);
    try {
      schedule.refuseNeverDue(java.time.Instant.now());
    } catch (ConfigException e) {
      throw new ConfigException(
          spec.settings().fileName() + ": trigger.schedule: " + e.getMessage(), e);
    }
    return new ScheduleTrigger(schedule, Clock.systemUTC(), POLL_WAIT);
  }

  /** {@inheritDoc} The schedule's last run is kept in the pipeline's ledger. */
  @Override
  public Trigger open(TriggerSpec spec, io.bucketload.core.run.Pipeline pipeline) {
    return new ScheduleTrigger(
        schedule(spec),
        Clock.systemUTC(),
        POLL_WAIT,
        LastRunStore.ledger(pipeline.target().ledger(), pipeline.spec().name(), type()));
  }
}
