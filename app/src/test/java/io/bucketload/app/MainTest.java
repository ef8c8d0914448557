package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void aCommandLineNamingASubcommandBuildsOnlyThatOne() {
    assertThat(Main.subcommandsFor("run", "pipeline.yaml")).containsExactly(RunCommand.class);
    assertThat(Main.subcommandsFor("--stacktrace", "runs", "pipeline.yaml"))
        .containsExactly(RunsCommand.class);
    assertThat(Main.subcommandsFor("validate", "run")).containsExactly(ValidateCommand.class);
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
