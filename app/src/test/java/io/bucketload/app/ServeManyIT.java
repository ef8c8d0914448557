package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.jdbc.duckdb.DuckDbQueries;
import io.bucketload.jdbc.duckdb.LockHoldingProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with several pipelines in one process, combined triggers, and what a restart keeps:
 * a schedule's last run and {@code min_interval} are read from the ledger.
 */
class ServeManyIT {
  @TempDir Path dir;

  private void pipeline(String name, String trigger) throws Exception {
    Files.createDirectories(dir.resolve("landing-" + name));
    Files.createDirectories(dir.resolve("pipelines"));
    Files.writeString(
        dir.resolve("pipelines/" + name + ".yaml"),
        """
        name: %s
        source: {path: ../landing-%s%s}
        target: {path: ../%s.duckdb, table: people}
        trigger: %s
        """
            .formatted(
                name, name, trigger.contains("settle") ? "" : ", settle: 0s", name, trigger));
  }

  private void file(String pipeline, String name, String content) throws Exception {
    Files.writeString(dir.resolve("landing-" + pipeline).resolve(name), content);
  }

  private String count(String pipeline) throws Exception {
    return DuckDbQueries.query(dir.resolve(pipeline + ".duckdb"), "SELECT count(*) FROM people")
        .get(0);
  }

  @Test
  void aMistakeInOneOfSeveralPipelinesNamesItsPath() throws Exception {
    for (String folder : java.util.List.of("orders", "people")) {
      Files.createDirectories(dir.resolve(folder + "/landing"));
    }
    Files.writeString(
        dir.resolve("orders/pipeline.yaml"),
        "name: orders\nsource: {path: landing}\ntrigger: {watch: 1s}\n");
    Files.writeString(
        dir.resolve("people/pipeline.yaml"),
        "name: people\nsource: {path: landing}\ntarget: {tabel: p}\ntrigger: {watch: 1s}\n");

    CliProcess.Result served =
        CliProcess.run(
            dir, "serve", "orders/pipeline.yaml", "people/pipeline.yaml", "--until-empty");

    assertThat(served.exitCode()).isEqualTo(2);
    assertThat(served.err())
        .startsWith(
            "bucketload: people/pipeline.yaml line 3: target.tabel: unknown key for this target;");
  }

  @Test
  void threePipelinesInAFolderOneWithItsTargetDownTheOtherTwoLoad() throws Exception {
    pipeline("daily", "{schedule: rate(1 day)}");
    pipeline("watched", "{watch: 1s}");
    file("daily", "a.csv", "id,name\n1,Ada\n2,Grace\n");
    file("watched", "b.csv", "id,name\n3,Linus\n");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Files.createDirectories(dir.resolve("landing-down"));
    Files.writeString(
        dir.resolve("pipelines/down.yaml"),
        """
        name: down
        source: {path: ../landing-down, settle: 0s}
        target: {type: postgres, url: "jdbc:postgresql://127.0.0.1:%d/nowhere", table: people}
        trigger: {schedule: rate(1 hour)}
        """
            .formatted(closedPort));

    CliProcess.Result served =
        CliProcess.run(dir, "serve", "pipelines", "--once", "--max-loads", "1");

    assertThat(served.exitCode()).as(served.out() + served.err()).isEqualTo(3);
    assertThat(served.err()).contains("[down]").contains("127.0.0.1:" + closedPort);
    assertThat(count("daily")).isEqualTo("2");
    assertThat(count("watched")).isEqualTo("1");
  }

  @Test
  @Timeout(240)
  void aPipelineWaitingForItsDuckDbFileHoldsNoLoadSlot() throws Exception {
    // One load slot: while "held" waits (up to 10 minutes) for its file, which another process
    // opened after serve started, "free" loads.
    Files.createDirectories(dir.resolve("landing-held"));
    Files.createDirectories(dir.resolve("pipelines"));
    Files.writeString(
        dir.resolve("pipelines/held.yaml"),
        """
        name: held
        source: {path: ../landing-held, settle: 0s}
        target: {path: ../held.duckdb, table: people, wait: 600s}
        trigger: {watch: 1s}
        """);
    pipeline("free", "{watch: 1s}");
    Path err = dir.resolve("serve.err");
    Path out = dir.resolve("serve.out");
    Process serve =
        CliProcess.builder(dir, err, "serve", "pipelines", "--max-loads", "1")
            .redirectOutput(out.toFile())
            .start();
    Process holder = null;
    try {
      awaitText(err, "serving held from a watch of", serve);
      awaitText(err, "serving free from a watch of", serve);
      holder = LockHoldingProcess.start(dir.resolve("held.duckdb"));
      file("held", "a.csv", "id,name\n1,Ada\n");
      awaitText(err, "waiting up to 600s", serve);
      file("free", "b.csv", "id,name\n3,Linus\n");

      awaitText(out, "loaded   b.csv", serve);

      assertThat(holder.isAlive()).as("the file is still held").isTrue();
      assertThat(Files.readString(out)).doesNotContain("a.csv");
    } finally {
      serve.destroyForcibly();
      serve.waitFor(30, TimeUnit.SECONDS);
      if (holder != null) {
        holder.destroyForcibly();
        holder.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Waits up to 60 s until {@code file} holds {@code text}, failing early if the process ends. */
  private static void awaitText(Path file, String text, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(file) && Files.readString(file).contains(text))) {
      assertThat(process.isAlive()).as("serve ended before it wrote " + text).isTrue();
      assertThat(System.nanoTime())
          .as("serve writes " + text + " within 60 s")
          .isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  @Test
  void aScheduleAndAWatchOfOnePipelineBothServeIt() throws Exception {
    pipeline("both", "{schedule: rate(1 day), watch: {every: 1s, settle: 0s}}");
    file("both", "a.csv", "id,name\n1,Ada\n");

    CliProcess.Result served = CliProcess.run(dir, "serve", "pipelines/both.yaml", "--once");

    assertThat(served.exitCode()).as(served.out() + served.err()).isZero();
    assertThat(served.err())
        .contains("serving both from schedule rate(1 day)")
        .contains("serving both from a watch of");
    assertThat(served.out()).contains("1 loaded");
    assertThat(count("both")).isEqualTo("1");
  }

  @Test
  void aRestartedScheduleDoesNotRunAgainBeforeItIsDue() throws Exception {
    pipeline("daily", "{schedule: rate(1 day)}");
    file("daily", "a.csv", "id,name\n1,Ada\n");
    CliProcess.Result first = CliProcess.run(dir, "serve", "pipelines/daily.yaml", "--once");
    file("daily", "b.csv", "id,name\n2,Grace\n");

    CliProcess.Result second = CliProcess.run(dir, "serve", "pipelines/daily.yaml", "--once");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.err()).contains("schedule rate(1 day): last run at");
    assertThat(second.out()).doesNotContain("loaded");
    assertThat(count("daily")).as("b.csv waits for tomorrow's run").isEqualTo("1");
  }

  @Test
  void minIntervalHoldsAcrossARestart() throws Exception {
    pipeline("once-a-day", "{watch: 1s, min_interval: 1 day}");
    file("once-a-day", "a.csv", "id,name\n1,Ada\n");
    CliProcess.Result first = CliProcess.run(dir, "serve", "pipelines/once-a-day.yaml", "--once");
    file("once-a-day", "b.csv", "id,name\n2,Grace\n");

    CliProcess.Result second = CliProcess.run(dir, "serve", "pipelines/once-a-day.yaml", "--once");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("1 loaded");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.err()).contains("held until").contains("trigger.min_interval");
    assertThat(count("once-a-day")).as("b.csv waits for the interval").isEqualTo("1");
  }
}
