package io.bucketload.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.slf4j.Logger;

/**
 * The command line's logging, set up in code when Logback starts (found through {@code
 * META-INF/services}): warnings and errors on standard error as {@code HH:mm:ss.SSS LEVEL message},
 * and bucketload's own loggers at the level of the {@code BUCKETLOAD_LOG_LEVEL} environment
 * variable ({@code WARN} when unset or not a level). Set up in code rather than from a {@code
 * logback.xml}, because reading XML costs every command about 0.1 s of start-up. A {@code
 * -Dlogback.configurationFile} given to the JVM is read instead when it names a file, a resource or
 * a URL; otherwise a line on standard error says so and this set-up applies.
 */
public final class CommandLineLogging extends ContextAwareBase implements Configurator {
  /** Creates the configurator; Logback calls it once, as it starts. */
  public CommandLineLogging() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String own = System.getProperty("logback.configurationFile");
    if (own != null && resolves(own)) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    if (own != null) {
      // Logback would fall back to DEBUG on standard output, mixed with what commands print there.
      System.err.println(
          "bucketload: -Dlogback.configurationFile="
              + own
              + " names no file, resource or URL; logging as by default");
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    LogLineEncoder lines = new LogLineEncoder();
    root.addAppender(standardError(context, "STDERR", lines, lines.charset()));
    context
        .getLogger("io.bucketload")
        .setLevel(Level.toLevel(System.getenv("BUCKETLOAD_LOG_LEVEL"), Level.WARN));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Starts the encoder and an appender named {@code name} that writes through it to stderr, with
   * the values of the pipelines read {@linkplain MaskingEncoder masked}; {@code charset} is the
   * encoding the encoder writes in.
   */
  static ConsoleAppender<ILoggingEvent> standardError(
      LoggerContext context, String name, Encoder<ILoggingEvent> encoder, Charset charset) {
    encoder.setContext(context);
    MaskingEncoder masking = new MaskingEncoder(encoder, charset);
    masking.setContext(context);
    masking.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(name);
    appender.setTarget("System.err");
    appender.setEncoder(masking);
    appender.start();
    return appender;
  }

  /** Whether Logback can read a configuration at the location: a URL, a resource or a file. */
  private static boolean resolves(String location) {
    try {
      URI uri = new URI(location);
      // One letter is a Windows drive, not a scheme.
      if (uri.getScheme() != null && uri.getScheme().length() > 1) {
        return !uri.getScheme().equals("file") || Files.isRegularFile(Path.of(uri));
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      // Not a URL: a resource or a file.
    }
    if (CommandLineLogging.class.getClassLoader().getResource(location) != null) {
      return true;
    }
    try {
      return Files.isRegularFile(Path.of(location));
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
