package io.bucketload.app;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.Charset;
import java.util.TimeZone;

/**
 * A log event as the command line writes it: {@code HH:mm:ss.SSS LEVEL message}, the time in the
 * machine's time zone and the level padded to five characters, then the stack trace of its
 * throwable, if any, in the machine's encoding. The same bytes as a {@code PatternLayoutEncoder} of
 * {@code %d{HH:mm:ss.SSS} %-5level %msg%n}, whose pattern, parsed at every start, cost each command
 * about 15 ms (docs/performance.md, "The logging's start").
 */
final class LogLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final byte[] NOTHING = new byte[0];

  private final ThrowableProxyConverter stackTrace = new ThrowableProxyConverter();

  /** Creates the encoder; it needs a context and {@link #start()} before it encodes. */
  LogLineEncoder() {}

  @Override
  public void start() {
    stackTrace.setContext(getContext());
    stackTrace.start();
    super.start();
  }

  @Override
  public void stop() {
    stackTrace.stop();
    super.stop();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    appendTime(line, event.getTimeStamp());
    String level = event.getLevel().toString();
    line.append(' ').append(level);
    for (int pad = level.length(); pad < 5; pad++) {
      line.append(' ');
    }
    line.append(' ').append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    if (event.getThrowableProxy() != null) {
      line.append(stackTrace.convert(event));
    }
    return line.toString().getBytes(charset());
  }

  /**
   * The encoding of the lines: the machine's, as Logback's encoders write without a charset set.
   */
  Charset charset() {
    return Charset.defaultCharset();
  }

  /** {@code HH:mm:ss.SSS} of the instant {@code millis} in the machine's time zone. */
  private static void appendTime(StringBuilder line, long millis) {
    long local = millis + TimeZone.getDefault().getOffset(millis);
    int ofDay = (int) Math.floorMod(local, MILLIS_PER_DAY);
    twoDigits(line, ofDay / 3_600_000).append(':');
    twoDigits(line, ofDay / 60_000 % 60).append(':');
    twoDigits(line, ofDay / 1_000 % 60).append('.');
    int millisOfSecond = ofDay % 1_000;
    if (millisOfSecond < 100) {
      line.append('0');
    }
    twoDigits(line, millisOfSecond);
  }

  private static StringBuilder twoDigits(StringBuilder line, int value) {
    if (value < 10) {
      line.append('0');
    }
    return line.append(value);
  }

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }
}
