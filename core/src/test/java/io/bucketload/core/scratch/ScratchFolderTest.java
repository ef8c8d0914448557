package io.bucketload.core.scratch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process's scratch folder goes with the process when it is stopped, and with a later process
 * when it was killed; a folder whose process lives, or that was just made, stays.
 */
class ScratchFolderTest {
  @TempDir Path temporary;

  /** Two minutes after now: past the grace given to a folder being made. */
  private static Instant later() {
    return Instant.now().plus(ScratchFolder.CREATION_GRACE).plusSeconds(60);
  }

  @Test
  void theFolderOfAKilledProcessIsRemovedByTheNextAndALivingOnesIsKept() throws Exception {
    Process child = start();
    try {
      Path file = Path.of(firstLine(child));
      Path folder = file.getParent();
      assertThat(folder.getFileName().toString()).startsWith(ScratchFolder.PREFIX);
      assertThat(file).exists();

      assertThat(ScratchFolder.removeAbandoned(temporary, later())).isEmpty();
      assertThat(file).exists();

      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(file).as("left by the killed process").exists();

      assertThat(ScratchFolder.removeAbandoned(temporary, later())).containsExactly(folder);
      assertThat(folder).doesNotExist();
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aProcessStoppedBySigtermRemovesItsFolder() throws Exception {
    Process child = start();
    try {
      Path folder = Path.of(firstLine(child)).getParent();
      assertThat(folder).exists();

      child.destroy(); // SIGTERM, as systemd or Kubernetes stops a service

      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(folder).doesNotExist();
      try (var left = Files.list(temporary)) {
        assertThat(left).isEmpty();
      }
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aFolderWhoseLockIsFreeButNewIsKeptUntilItsGraceEnds() throws IOException {
    Path folder = Files.createDirectory(temporary.resolve(ScratchFolder.PREFIX + "new"));
    Files.writeString(folder.resolve(ScratchFolder.LOCK), "");
    Files.writeString(folder.resolve("spool.rows"), "rows");

    assertThat(ScratchFolder.removeAbandoned(temporary, Instant.now())).isEmpty();
    assertThat(folder).exists();

    assertThat(ScratchFolder.removeAbandoned(temporary, later())).containsExactly(folder);
    assertThat(folder).doesNotExist();
  }

  @Test
  void thisProcesssOwnFolderAndFoldersWithoutALockAreKept() throws IOException {
    ScratchFolder own = ScratchFolder.create(temporary);
    Path file = own.newFile("spool-", ".rows");
    Path unlocked = Files.createDirectory(temporary.resolve(ScratchFolder.PREFIX + "nolock"));
    Path other = Files.createDirectory(temporary.resolve("bucketload-spool-other"));
    try {
      assertThat(ScratchFolder.removeAbandoned(temporary, later())).isEmpty();
      assertThat(file).exists();
      assertThat(unlocked).exists();
      assertThat(other).exists();
    } finally {
      own.removeQuietly();
    }
    assertThat(own.path()).doesNotExist();
  }

  @Test
  void aLinkNamedLikeAScratchFolderIsNotFollowed() throws IOException {
    Path elsewhere = Files.createDirectory(temporary.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve(ScratchFolder.LOCK), "");
    Files.writeString(elsewhere.resolve("data"), "keep");
    Path link =
        Files.createSymbolicLink(temporary.resolve(ScratchFolder.PREFIX + "link"), elsewhere);

    assertThat(ScratchFolder.removeAbandoned(temporary, later())).isEmpty();

    assertThat(link).exists();
    assertThat(elsewhere.resolve("data")).hasContent("keep");
  }

  @Test
  void deleteTreeRemovesAFolderWithItsFilesAndIgnoresOneAlreadyGone() throws IOException {
    Path folder = Files.createDirectories(temporary.resolve("a/b"));
    Files.writeString(folder.resolve("c"), "c");
    Files.writeString(temporary.resolve("a/d"), "d");

    ScratchFolder.deleteTree(temporary.resolve("a"));
    ScratchFolder.deleteTree(temporary.resolve("a"));

    assertThat(temporary.resolve("a")).doesNotExist();
  }

  private Process start() throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.io.tmpdir=" + temporary,
            "-cp",
            System.getProperty("java.class.path"),
            MakesThenWaits.class.getName())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static String firstLine(Process child) throws IOException {
    return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
  }

  /** Makes a file in its scratch folder, prints its path, and waits for its input to end. */
  public static final class MakesThenWaits {
    private MakesThenWaits() {}

    /** Runs the child process of the tests above. */
    public static void main(String[] args) throws IOException {
      Path file = ScratchFolder.ofProcess().newFile("bucketload-spool-", ".rows");
      Files.writeString(file, "rows");
      System.out.println(file);
      System.out.flush();
      System.in.read();
    }
  }
}
