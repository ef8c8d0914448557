package io.bucketload.jdbc.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckDB file held by a process that is not bucketload is reported as held by another process,
 * named by its PID and program, never as another bucketload run. (A file held by a bucketload run:
 * {@code ConcurrentRunsIT} of the app module.)
 */
class DuckDbLockHolderIT {
  @TempDir Path dir;

  @Test
  void aFileHeldByAnotherProgramNamesThatProgramNotABucketloadRun() throws Exception {
    Path file = dir.resolve("held.duckdb");
    Process holder = LockHoldingProcess.start(file);
    try {
      String pid = Long.toString(holder.pid());

      assertThatThrownBy(
              () ->
                  DuckDbTarget.open(
                      file, "main", Optional.empty(), Optional.empty(), Duration.ofMillis(300)))
          .isInstanceOf(TargetException.class)
          .satisfies(e -> assertThat(((TargetException) e).isBusy()).isTrue())
          .hasMessageMatching(
              "another process \\(PID "
                  + pid
                  + ", \\S*java\\) is using \\S*held\\.duckdb; try again when it ends \\(waited"
                  + " 0s\\), or wait longer with --wait")
          .hasMessageNotContaining("bucketload run")
          // The holder's arguments (its classpath, its file) are not in the message.
          .hasMessageNotContaining(LockHoldingProcess.class.getName());
    } finally {
      holder.getOutputStream().close();
      if (!holder.waitFor(30, TimeUnit.SECONDS)) {
        holder.destroyForcibly();
      }
    }
    // Once the holder has ended, the file opens.
    try (DuckDbTarget target =
        DuckDbTarget.open(file, "main", Optional.empty(), Optional.empty(), Duration.ZERO)) {
      assertThat(Files.exists(file)).isTrue();
      assertThat(target.describe()).contains("held.duckdb");
    }
  }

  @Test
  void aHolderIsNamedByItsCommandLine() throws Exception {
    String message =
        "IO Error: Could not set lock on file \"/d/x.duckdb\": Conflicting lock is held in"
            + " /usr/bin/java (PID %d). See also https://duckdb.org/docs/current/connect/concurrency";
    long self = ProcessHandle.current().pid();
    // This test's own JVM: not started as bucketload.
    assertThat(LockHolder.describe(String.format(message, self)))
        .isEqualTo("another process (PID " + self + ", /usr/bin/java)");
    // Command lines as /proc holds them, NUL-separated: the launcher's and the main class's.
    Path processes = dir.resolve("proc");
    Files.createDirectories(processes.resolve("101"));
    Files.writeString(
        processes.resolve("101/cmdline"),
        "java\0-Xmn64m\0-jar\0/opt/bl/app/target/bucketload.jar\0run\0p.yaml\0");
    Files.createDirectories(processes.resolve("102"));
    Files.writeString(
        processes.resolve("102/cmdline"),
        "java\0-cp\0a.jar:b.jar\0io.bucketload.app.Main\0serve\0");
    // Another program whose class path holds the jar is not a bucketload run.
    Files.createDirectories(processes.resolve("105"));
    Files.writeString(
        processes.resolve("105/cmdline"),
        "java\0-cp\0/opt/bl/app/target/bucketload.jar:tool.jar\0com.example.Tool\0");
    assertThat(LockHolder.describe(String.format(message, 105), processes))
        .isEqualTo("another process (PID 105, /usr/bin/java)");
    // A file whose path holds the words DuckDB uses: the holder is named by the last of them.
    assertThat(
            LockHolder.describe(
                "IO Error: Could not set lock on file \"/d/held in (PID 1)/x.duckdb\": Conflicting"
                    + " lock is held in /usr/bin/java (PID 101).",
                processes))
        .isEqualTo("another bucketload run (PID 101)");
    Files.createDirectories(processes.resolve("103"));
    Files.writeString(
        processes.resolve("103/cmdline"), "duckdb\0/home/me/bucketload-notes.duckdb\0");
    assertThat(LockHolder.describe(String.format(message, 101), processes))
        .isEqualTo("another bucketload run (PID 101)");
    assertThat(LockHolder.describe(String.format(message, 102), processes))
        .isEqualTo("another bucketload run (PID 102)");
    assertThat(LockHolder.describe(String.format(message, 103), processes))
        .isEqualTo("another process (PID 103, /usr/bin/java)");
    // Gone by the time it is looked up, or a message of another form.
    assertThat(LockHolder.describe(String.format(message, 104), processes))
        .isEqualTo("another process (PID 104, /usr/bin/java)");
    assertThat(
            LockHolder.describe("IO Error: Could not set lock on file \"/d/x.duckdb\"", processes))
        .isEqualTo("another process");
  }
}
