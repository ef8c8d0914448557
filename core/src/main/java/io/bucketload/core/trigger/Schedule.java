package io.bucketload.core.trigger;

import io.bucketload.core.error.ConfigException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * A schedule written as AWS EventBridge writes them, so that the expression a user already has
 * works unchanged: {@code rate(5 days)} or {@code cron(0 6 ? * MON-FRI *)}. Immutable and
 * thread-safe.
 *
 * <p>{@code rate(N unit)}: N a whole number from 1, the unit {@code minute}, {@code hour} or {@code
 * day}, singular for 1 and plural above ({@code rate(1 day)}, {@code rate(2 days)}), as AWS
 * requires. A rate runs N units after the previous run.
 *
 * <p>{@code cron(minutes hours day-of-month month day-of-week year)}: six fields, exactly one of
 * the two day fields {@code ?}; read by Quartz's {@link CronExpression} with a seconds field of
 * {@code 0} in front, in the schedule's time zone (UTC unless given).
 */
public final class Schedule {
  private static final Pattern RATE =
      Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
  private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
  private static final Pattern ZERO_STEP = Pattern.compile("/0+(?![0-9])");
  private static final Pattern YEAR = Pattern.compile("\\d{4}");

  private final String expression;
  private final Optional<Duration> rate;
  private final Optional<CronExpression> cron;

  private Schedule(String expression, Optional<Duration> rate, Optional<CronExpression> cron) {
    this.expression = expression;
    this.rate = rate;
    this.cron = cron;
  }

  /**
   * Reads an expression.
   *
   * @param expression {@code rate(...)} or {@code cron(...)}
   * @param zone the time zone of a {@code cron} expression's fields
   * @throws ConfigException saying what AWS would accept
   */
  public static Schedule parse(String expression, ZoneId zone) {
    String text = expression.trim();
    Matcher rate = RATE.matcher(text);
    if (rate.matches()) {
      return new Schedule(text, Optional.of(rate(rate.group(1), rate.group(2))), Optional.empty());
    }
    if (text.startsWith("rate(")) {
      throw new ConfigException(
          "'"
              + text
              + "' is not a rate AWS accepts; write rate(N unit) with N a whole number from 1 and"
              + " the unit minute, hour or day, singular for 1 and plural above: rate(1 day),"
              + " rate(5 minutes)");
    }
    Matcher cron = CRON.matcher(text);
    if (cron.matches()) {
      return new Schedule(text, Optional.empty(), Optional.of(cron(text, cron.group(1), zone)));
    }
    throw new ConfigException(
        "'"
            + text
            + "' is not a schedule; write rate(5 days) or cron(0 6 ? * MON-FRI *), as AWS"
            + " EventBridge does");
  }

  private static Duration rate(String number, String unit) {
    long value;
    try {
      value = Long.parseLong(number);
    } catch (NumberFormatException e) {
      value = 0;
    }
    boolean plural = unit.endsWith("s");
    if (value < 1 || value > 1_000_000 || (value == 1) == plural) {
      throw new ConfigException(
          "'rate("
              + number
              + " "
              + unit
              + ")' is not a rate AWS accepts: the value is a whole number from 1, and the unit is"
              + " singular for 1 and plural above: rate(1 "
              + unit.replaceAll("s$", "")
              + "), rate(2 "
              + unit.replaceAll("s$", "")
              + "s)");
    }
    return switch (unit.replaceAll("s$", "")) {
      case "minute" -> Duration.ofMinutes(value);
      case "hour" -> Duration.ofHours(value);
      default -> Duration.ofDays(value);
    };
  }

  private static CronExpression cron(String text, String body, ZoneId zone) {
    String[] fields = body.trim().split("\\s+");
    if (fields.length != 6) {
      throw new ConfigException(
          "'"
              + text
              + "' has "
              + fields.length
              + " fields; AWS cron has 6: minutes hours day-of-month month day-of-week year, e.g."
              + " cron(0 6 ? * MON-FRI *)");
    }
    boolean dayOfMonthAny = fields[2].equals("?");
    boolean dayOfWeekAny = fields[4].equals("?");
    if (dayOfMonthAny == dayOfWeekAny) {
      throw new ConfigException(
          "'"
              + text
              + "': exactly one of day-of-month (3rd field) and day-of-week (5th) must be ?, as AWS"
              + " requires, e.g. cron(0 6 ? * MON-FRI *) or cron(0 6 1 * ? *)");
    }
    for (String field : fields) {
      if (ZERO_STEP.matcher(field).find()) {
        throw new ConfigException(
            "'" + text + "': '" + field + "' steps by 0; a step (/N) is a whole number from 1");
      }
    }
    CronExpression expression;
    try {
      expression = new CronExpression("0 " + String.join(" ", fields).toUpperCase(Locale.ROOT));
    } catch (ParseException e) {
      throw new ConfigException(
          "'" + text + "' is not a cron expression AWS accepts: " + e.getMessage());
    }
    expression.setTimeZone(TimeZone.getTimeZone(zone));
    return expression;
  }

  /**
   * Refuses a {@code cron} expression that no date from {@code now} on matches: a date that does
   * not exist (30 February) or years that are past, which a service would wait for forever, looking
   * healthy. Asked when a service starts the schedule, not when the pipeline is read: other
   * commands still work on a pipeline whose schedule has ended.
   *
   * @throws ConfigException saying so
   */
  public void refuseNeverDue(Instant now) {
    if (cron.isEmpty() || beyondQuartzYears(now)) {
      return;
    }
    if (cron.get().getNextValidTimeAfter(Date.from(now)) == null) {
      throw new ConfigException(
          "'" + expression + "' is never due from now on: no date matches it after today");
    }
  }

  /**
   * Whether the year field names a year more than 99 years ahead, past which Quartz finds no date
   * (EventBridge takes years up to 2199): such an expression is not judged.
   */
  private boolean beyondQuartzYears(Instant now) {
    int thisYear = now.atZone(java.time.ZoneOffset.UTC).getYear();
    Matcher years = YEAR.matcher(expression.replaceFirst(".*\\s", ""));
    while (years.find()) {
      if (Integer.parseInt(years.group()) > thisYear + 99) {
        return true;
      }
    }
    return false;
  }

  /** The expression as written. */
  public String expression() {
    return expression;
  }

  /**
   * When the schedule runs next: for a schedule that never ran, at once ({@code now}); for a rate,
   * one period after the last run; for a cron, its first time after the last run.
   *
   * @param lastRun when it last ran, if ever
   * @param now the current time
   * @return the next run's time; empty when a cron expression never fires again (a past year)
   */
  public Optional<Instant> next(Optional<Instant> lastRun, Instant now) {
    if (lastRun.isEmpty()) {
      return Optional.of(now);
    }
    if (rate.isPresent()) {
      return Optional.of(lastRun.get().plus(rate.get()));
    }
    Date next = cron.orElseThrow().getNextValidTimeAfter(Date.from(lastRun.get()));
    return Optional.ofNullable(next).map(Date::toInstant);
  }

  @Override
  public String toString() {
    return expression;
  }
}
