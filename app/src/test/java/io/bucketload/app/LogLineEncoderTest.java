package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command line's log lines are byte for byte what Logback's pattern {@code %d{HH:mm:ss.SSS}
 * %-5level %msg%n} writes, in time zones on either side of UTC, in summer time and at instants
 * before 1970.
 */
class LogLineEncoderTest {
  private final TimeZone machineZone = TimeZone.getDefault();
  private LoggerContext context;
  private LogLineEncoder lines;

  @BeforeEach
  void startTheEncoder() {
    context = LogEvents.context();
    lines = new LogLineEncoder();
    lines.setContext(context);
    lines.start();
  }

  @AfterEach
  void restoreTheTimeZone() {
    TimeZone.setDefault(machineZone);
  }

  /** A pattern encoder started in the current default zone, as Logback caches the zone. */
  private PatternLayoutEncoder pattern() {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %msg%n");
    encoder.start();
    return encoder;
  }

  private LoggingEvent event(Level level, long millis, String message, Throwable thrown) {
    LoggingEvent event = LogEvents.event(context, level, message, thrown, "orders.csv", 42);
    event.setTimeStamp(millis);
    return event;
  }

  @Test
  void everyLevelAndInstantIsWrittenAsThePatternWritesIt() {
    List<Long> instants =
        List.of(
            0L,
            1L,
            1_733_450_000_007L,
            1_733_490_061_099L,
            1_720_000_000_123L,
            -1L,
            -86_400_000L * 400 + 123);
    for (String zone : List.of("UTC", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati")) {
      TimeZone.setDefault(TimeZone.getTimeZone(zone));
      PatternLayoutEncoder pattern = pattern();
      for (Level level : List.of(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR)) {
        for (long millis : instants) {
          LoggingEvent event = event(level, millis, "loading {}: {} rows", null);
          assertThat(text(lines.encode(event)))
              .as("%s at %d in %s", level, millis, zone)
              .isEqualTo(text(pattern.encode(event)));
        }
      }
    }
    assertThat(text(lines.encode(event(Level.INFO, 0, "loading {}: {} rows", null))))
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d INFO  loading orders.csv: 42 rows\\R");
  }

  @Test
  void aThrowableIsFollowedByItsStackTraceAsThePatternWritesIt() {
    PatternLayoutEncoder pattern = pattern();
    IOException cause = new IOException("disk full");
    UncheckedIOException thrown = new UncheckedIOException("writing orders.csv", cause);
    thrown.addSuppressed(new IllegalStateException("closing"));
    LoggingEvent event = event(Level.ERROR, 1_733_450_000_007L, "the load of {} failed", thrown);

    String written = text(lines.encode(event));

    assertThat(written).isEqualTo(text(pattern.encode(event)));
    assertThat(written)
        .contains("ERROR the load of orders.csv failed")
        .contains("java.io.UncheckedIOException: writing orders.csv")
        .contains("Caused by: java.io.IOException: disk full")
        .contains("Suppressed: java.lang.IllegalStateException: closing");
  }

  @Test
  void aNullMessageIsWrittenAsThePatternWritesIt() {
    PatternLayoutEncoder pattern = pattern();
    LoggingEvent event = event(Level.WARN, 5, null, null);

    assertThat(text(lines.encode(event))).isEqualTo(text(pattern.encode(event)));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, Charset.defaultCharset());
  }
}
