package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.jdbc.duckdb.DuckDbQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} on a schedule, as a cron job would start it: the due run loads, then it stops. */
class ServeScheduleIT {
  @TempDir Path dir;

  @Test
  void aDueScheduleLoadsEveryMatchingFileAndUntilEmptyStopsWhenNothingIsDue() throws Exception {
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(dir.resolve("landing/a.csv"), "id,name\n1,Ada\n2,Grace\n");
    Files.writeString(dir.resolve("landing/b.csv"), "id,name\n3,Linus\n");
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: people
        source: {path: landing, settle: 0s}
        target: {path: people.duckdb, table: people}
        trigger: {schedule: "cron(0 6 ? * MON-FRI *)", timezone: Europe/Paris}
        """);

    CliProcess.Result served = CliProcess.run(dir, "serve", "pipeline.yaml", "--until-empty");

    assertThat(served.exitCode()).as(served.out() + served.err()).isZero();
    assertThat(served.err()).contains("serving people from schedule cron(0 6 ? * MON-FRI *)");
    assertThat(served.out()).contains("2 loaded, 0 skipped, 0 failed");
    assertThat(DuckDbQueries.query(dir.resolve("people.duckdb"), "SELECT count(*) FROM people"))
        .containsExactly("3");
  }

  @Test
  void aScheduleAwsWouldRefuseIsAConfigurationErrorNamingItsLine() throws Exception {
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        "name: people\nsource: {path: landing}\ntrigger: {schedule: rate(1 days)}\n");

    CliProcess.Result served = CliProcess.run(dir, "serve", "pipeline.yaml", "--until-empty");

    assertThat(served.exitCode()).isEqualTo(2);
    assertThat(served.err())
        .contains(
            "pipeline.yaml line 3: trigger.schedule: 'rate(1 days)' is not a rate AWS accepts");
  }

  @Test
  void withJsonLogsEachFileOutcomeIsOneJsonObjectNamingPipelineRunAndFile() throws Exception {
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(dir.resolve("landing/a.csv"), "id,name\n1,Ada\n");
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: people
        source: {path: landing, settle: 0s}
        target: {path: people.duckdb, table: people}
        trigger: {schedule: rate(1 day)}
        """);

    CliProcess.Result served =
        CliProcess.run(dir, "serve", "pipeline.yaml", "--until-empty", "--log-format", "json");

    assertThat(served.exitCode()).as(served.err()).isZero();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.List<String> messages = new java.util.ArrayList<>();
    for (String line : served.err().lines().toList()) {
      if (line.startsWith("{")) {
        messages.add(json.readTree(line).get("formattedMessage").asText());
      }
    }
    assertThat(messages)
        .anyMatch(message -> message.matches("pipeline people run \\S+: loaded a\\.csv"));
  }
}
