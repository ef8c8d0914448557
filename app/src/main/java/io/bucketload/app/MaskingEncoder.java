package io.bucketload.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import io.bucketload.core.spec.PipelineSpec;
import java.nio.charset.Charset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Masks, in every log line, the values that the pipelines read by this process took from the
 * environment: what bucketload logs, and what its libraries log (a database's message naming a file
 * under {@code ${DATA_DIR}}, an endpoint from {@code ${S3_ENDPOINT}}). Wraps the encoder that
 * formats the lines; a pipeline's values are masked from the moment it is {@linkplain #add read}.
 * Thread-safe.
 */
final class MaskingEncoder extends EncoderBase<ILoggingEvent> {
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

  private final Encoder<ILoggingEvent> lines;
  private final Charset charset;

  /**
   * Wraps an encoder.
   *
   * @param lines formats the lines
   * @param charset the encoding {@code lines} writes them in, which the masked lines keep
   */
  MaskingEncoder(Encoder<ILoggingEvent> lines, Charset charset) {
    this.lines = lines;
    this.charset = charset;
  }

  /** From now on, masks the values {@code spec} took from the environment in every log line. */
  static void add(PipelineSpec spec) {
    for (String secret : spec.secrets()) {
      SECRETS.add(secret);
      // As serve's JSON lines write it (Logback escapes the slash too).
      SECRETS.add(secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
    }
  }

  /** {@code text} with the values of every pipeline read so far masked. */
  static String mask(String text) {
    return PipelineSpec.mask(text, Set.copyOf(SECRETS));
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    byte[] line = lines.encode(event);
    String text = new String(line, charset);
    String shown = SECRETS.isEmpty() ? text : mask(text);
    if (event.getThrowableProxy() == null) {
      shown = escaped(shown, true);
    } else {
      // The stack trace has its own lines; the message before it keeps to one.
      String message = event.getFormattedMessage();
      if (message != null) {
        String masked = SECRETS.isEmpty() ? message : mask(message);
        String oneLine = io.bucketload.core.run.OneLine.of(masked);
        int at = shown.indexOf(masked);
        if (!oneLine.equals(masked) && at >= 0) {
          shown = shown.substring(0, at) + oneLine + shown.substring(at + masked.length());
        }
      }
      shown = escaped(shown, false);
    }
    return shown.equals(text) ? line : shown.getBytes(charset);
  }

  /**
   * The line with the control characters that text from outside (a file's name, above all) may
   * bring escaped, so that it can neither pass for another log line nor steer a terminal: every one
   * but the line's own ending, or, in a line followed by a stack trace, every one but line breaks
   * and tabs.
   */
  static String escaped(String text, boolean oneLine) {
    if (oneLine) {
      int end = text.length();
      while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
        end--;
      }
      String body = io.bucketload.core.run.OneLine.of(text.substring(0, end));
      return body.length() == end ? text : body + text.substring(end);
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean escape = Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t';
      if (escape && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (escape) {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  @Override
  public byte[] headerBytes() {
    return lines.headerBytes();
  }

  @Override
  public byte[] footerBytes() {
    return lines.footerBytes();
  }

  @Override
  public void start() {
    lines.start();
    super.start();
  }

  @Override
  public void stop() {
    lines.stop();
    super.stop();
  }
}
