package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void aCommandLineNamingASubcommandBuildsOnlyThatOne() {
    assertThat(Main.subcommandsFor("run", "pipeline.yaml")).containsExactly(RunCommand.class);
    assertThat(Main.subcommandsFor("--stacktrace", "runs", "pipeline.yaml"))
        .containsExactly(RunsCommand.class);
    assertThat(Main.subcommandsFor("validate", "run")).containsExactly(ValidateCommand.class);
  }

  @Test
  void theVersionAloneBuildsNoSubcommand() {
    assertThat(Main.subcommandsFor("--version")).isEmpty();
    assertThat(Main.subcommandsFor("-V")).isEmpty();
    assertThat(Main.subcommandsFor("--stacktrace", "--version")).isEmpty();
    assertThat(Main.subcommandsFor("--version", "run")).isEqualTo(Main.SUBCOMMANDS);
  }

  @Test
  void theVersionPrintsWithoutSubcommands() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setOut(new PrintWriter(out));
    assertThat(commandLine.getSubcommands()).isEmpty();
    assertThat(commandLine.execute("--version")).isZero();
    assertThat(out.toString()).startsWith("bucketload ");
  }

  @Test
  void everyOtherCommandLineBuildsEverySubcommand() {
    assertThat(Main.subcommandsFor()).isEqualTo(Main.SUBCOMMANDS);
    assertThat(Main.subcommandsFor("--help")).isEqualTo(Main.SUBCOMMANDS);
    assertThat(Main.subcommandsFor("help", "run")).isEqualTo(Main.SUBCOMMANDS);
    assertThat(Main.subcommandsFor("rnu", "pipeline.yaml")).isEqualTo(Main.SUBCOMMANDS);
    assertThat(Main.subcommandsFor("@arguments.txt")).isEqualTo(Main.SUBCOMMANDS);
    assertThat(Main.subcommandsFor("--help", "run")).isEqualTo(Main.SUBCOMMANDS);
    assertThat(Main.subcommandsFor("-h", "validate")).isEqualTo(Main.SUBCOMMANDS);
    assertThat(Main.subcommandsFor("--stacktrace", "-V", "run")).isEqualTo(Main.SUBCOMMANDS);
  }
}
