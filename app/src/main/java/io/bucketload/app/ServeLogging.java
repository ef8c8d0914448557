package io.bucketload.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.RunReport;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logs of {@code serve}, a long-running service: bucketload's own events at INFO, as text lines
 * or as one JSON object per line, on standard error; and one line per file outcome, naming the
 * pipeline, the run and the file.
 */
final class ServeLogging {
  private static final Logger OUTCOMES = LoggerFactory.getLogger("io.bucketload.serve");

  private ServeLogging() {}

  /**
   * Sets the log format and level for a service.
   *
   * @throws picocli.CommandLine.ParameterException for a format other than text and json
   */
  static void configure(String format, picocli.CommandLine commandLine) {
    if (!format.equals("text") && !format.equals("json")) {
      throw new picocli.CommandLine.ParameterException(
          commandLine, "--log-format: expected text or json, found '" + format + "'");
    }
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Encoder<ILoggingEvent> encoder;
    Charset charset;
    if (format.equals("json")) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithMarkers(false);
      json.setWithMDC(false);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithFormattedMessage(true);
      encoder = json;
      charset = StandardCharsets.UTF_8; // Logback's JSON lines are UTF-8
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX, UTC} %-5level %msg%n");
      encoder = text;
      charset = Charset.defaultCharset(); // without a charset set, Logback writes in this one
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(CommandLineLogging.standardError(context, "SERVE", encoder, charset));
    if (System.getenv("BUCKETLOAD_LOG_LEVEL") == null) {
      context.getLogger("io.bucketload").setLevel(Level.INFO);
    }
  }

  /** Logs each file's outcome of a run at INFO. */
  static void outcomes(RunReport report) {
    for (FileReport file : report.files()) {
      OUTCOMES.info(
          "pipeline {} run {}: {} {}{}",
          report.pipeline(),
          report.runId(),
          file.status().reportName(),
          file.file(),
          file.error().or(file::note).map(text -> ": " + text).orElse(""));
    }
  }
}
