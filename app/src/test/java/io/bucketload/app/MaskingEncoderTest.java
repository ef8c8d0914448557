package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log lines, as text and as JSON, with the values of the pipelines read masked. */
class MaskingEncoderTest {
  /** A value no other test logs: masking is for the whole process. */
  private static final String FOLDER = "C:\\data/masking-encoder-test \"q\"";

  @TempDir Path dir;

  private static Encoder<ILoggingEvent> text() {
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setPattern("%-5level %msg%n");
    text.setCharset(StandardCharsets.UTF_8);
    return text;
  }

  private static Encoder<ILoggingEvent> json() {
    JsonEncoder json = new JsonEncoder();
    json.setWithFormattedMessage(true);
    return json;
  }

  private static String line(Encoder<ILoggingEvent> lines) {
    return line(
        lines,
        Level.WARN,
        "another bucketload run is using {}/orders.duckdb",
        null,
        new Object[] {FOLDER});
  }

  /** One event encoded by a masking encoder around {@code lines}, which write UTF-8. */
  private static String line(
      Encoder<ILoggingEvent> lines,
      Level level,
      String message,
      Throwable thrown,
      Object[] arguments) {
    return line(lines, StandardCharsets.UTF_8, level, message, thrown, arguments);
  }

  /**
   * One event encoded by a masking encoder around {@code lines}, which write {@code charset}, read
   * back in {@code charset}.
   */
  private static String line(
      Encoder<ILoggingEvent> lines,
      Charset charset,
      Level level,
      String message,
      Throwable thrown,
      Object[] arguments) {
    LoggerContext context = LogEvents.context();
    lines.setContext(context);
    MaskingEncoder masking = new MaskingEncoder(lines, charset);
    masking.setContext(context);
    masking.start();
    LoggingEvent event = LogEvents.event(context, level, message, thrown, arguments);
    return new String(masking.encode(event), charset);
  }

  @Test
  void theValuesOfAPipelineReadAreMaskedAsTextAndAsJson() {
    assertThat(line(text())).contains(FOLDER);

    MaskingEncoder.add(
        new PipelineSpecReader(Map.of("DATA", FOLDER)::get)
            .read(
                new StringReader(
                    "name: orders\nsource: {path: .}\ntarget: {path: \"${DATA}/orders.duckdb\"}\n"),
                dir.resolve("pipeline.yaml"),
                dir));

    assertThat(line(text()))
        .isEqualTo(
            "WARN  another bucketload run is using ****/orders.duckdb" + System.lineSeparator());
    assertThat(line(json()))
        .contains("\"formattedMessage\":\"another bucketload run is using ****\\/orders.duckdb\"")
        .doesNotContain("masking-encoder-test");
  }

  @Test
  void aLineInAnotherEncodingIsMaskedAndKeepsItsEncoding() {
    String latinFolder = "/data/masking-latin-é";
    MaskingEncoder.add(
        new PipelineSpecReader(Map.of("LATIN", latinFolder)::get)
            .read(
                new StringReader(
                    "name: latin\nsource: {path: .}\ntarget: {path: \"${LATIN}/t.duckdb\"}\n"),
                dir.resolve("pipeline.yaml"),
                dir));
    PatternLayoutEncoder latin = new PatternLayoutEncoder();
    latin.setPattern("%-5level %msg%n");
    latin.setCharset(StandardCharsets.ISO_8859_1);

    String line =
        line(
            latin,
            StandardCharsets.ISO_8859_1,
            Level.WARN,
            "café.csv: {}/t.duckdb is locked",
            null,
            new Object[] {latinFolder});

    assertThat(line).isEqualTo("WARN  café.csv: ****/t.duckdb is locked" + System.lineSeparator());
  }

  @Test
  void controlCharactersFromOutsideAreEscapedSoTheyCannotForgeALineOrSteerATerminal() {
    assertThat(MaskingEncoder.escaped("WARN  loading a\u001b[31m\nERROR b.csv\n", true))
        .isEqualTo("WARN  loading a\\u001b[31m\\nERROR b.csv\n");
    assertThat(MaskingEncoder.escaped("WARN  plain line\r\n", true))
        .isEqualTo("WARN  plain line\r\n");
    assertThat(
            MaskingEncoder.escaped(
                "ERROR failed a\u0007.csv\njava.io.IOException: x\n\tat A.b(A.java:1)\n", false))
        .isEqualTo("ERROR failed a\\u0007.csv\njava.io.IOException: x\n\tat A.b(A.java:1)\n");
  }

  @Test
  void aMessageFollowedByAStackTraceKeepsToOneLine() {
    String encoded =
        line(
            text(),
            Level.ERROR,
            "failed {}",
            new java.io.IOException("boom"),
            new Object[] {"a\nERROR b.csv"});

    assertThat(encoded).startsWith("ERROR failed a\\nERROR b.csv" + System.lineSeparator());
    assertThat(encoded).contains("java.io.IOException: boom");
  }
}
