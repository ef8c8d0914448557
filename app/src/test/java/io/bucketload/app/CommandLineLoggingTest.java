package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class CommandLineLoggingTest {
  private static final String OWN_FILE = "logback.configurationFile";

  @TempDir Path dir;

  @AfterEach
  void clearProperty() {
    System.clearProperty(OWN_FILE);
  }

  @Test
  void setsUpWarningsOnStandardErrorByDefault() {
    LoggerContext context = new LoggerContext();
    assertThat(new CommandLineLogging().configure(context))
        .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    assertThat(root.getAppender("STDERR")).isNotNull();
  }

  @Test
  void leavesAnExistingFileOfTheUsersToLogback() throws Exception {
    Path own = Files.writeString(dir.resolve("own.xml"), "<configuration/>");
    System.setProperty(OWN_FILE, own.toString());
    assertThat(new CommandLineLogging().configure(new LoggerContext()))
        .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    System.setProperty(OWN_FILE, own.toUri().toString());
    assertThat(new CommandLineLogging().configure(new LoggerContext()))
        .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }

  @Test
  void keepsItsOwnSetUpWhenTheUsersFileIsMissing() {
    System.setProperty(OWN_FILE, dir.resolve("missing.xml").toString());
    LoggerContext context = new LoggerContext();
    assertThat(new CommandLineLogging().configure(context))
        .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNotNull();
    System.setProperty(OWN_FILE, dir.resolve("missing.xml").toUri().toString());
    assertThat(new CommandLineLogging().configure(new LoggerContext()))
        .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
  }
}
