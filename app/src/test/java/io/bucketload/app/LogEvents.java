package io.bucketload.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;

/** Logback contexts and events for the tests of encoders. */
final class LogEvents {
  private LogEvents() {}

  /** A new context, ready for encoders. */
  static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }

  /** An event of a logger of {@code context}, logged now. */
  static LoggingEvent event(
      LoggerContext context, Level level, String message, Throwable thrown, Object... arguments) {
    return new LoggingEvent(
        LogEvents.class.getName(),
        context.getLogger("io.bucketload.test"),
        level,
        message,
        thrown,
        arguments);
  }
}
