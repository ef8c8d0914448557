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

  /** What the command line's stop hooks do: remove the process's folder as the process ends. */
  @Test
  void removingTheProcessFolderAsAStoppedProcessEndsLeavesNothing() throws Exception {
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
  void thisJvmsOwnFolderKeepsItsLockAndFoldersWithoutALockAreKept() throws Exception {
    ScratchFolder own = ScratchFolder.create(temporary);
    Path file = own.newFile("spool-", ".rows");
    Path unlocked = Files.createDirectory(temporary.resolve(ScratchFolder.PREFIX + "nolock"));
    Path other = Files.createDirectory(temporary.resolve("bucketload-spool-other"));
    try {
      assertThat(ScratchFolder.removeAbandoned(temporary, later())).isEmpty();
      assertThat(file).exists();
      assertThat(unlocked).exists();
      assertThat(other).exists();
      // Closing a channel to a locked file would have dropped this JVM's lock: another process
      // still finds it held.
      assertThat(lockSeenByAnotherProcess(own.path().resolve(ScratchFolder.LOCK)))
          .isEqualTo("held");
    } finally {
      own.remove();
    }
    assertThat(own.path()).doesNotExist();
  }

  @Test
  void aFolderWithNestedSpillsIsRemovedWhole() throws IOException {
    Path folder = Files.createDirectory(temporary.resolve(ScratchFolder.PREFIX + "half"));
    Files.writeString(folder.resolve(ScratchFolder.LOCK), "");
    Path spill = Files.createDirectories(folder.resolve("bucketload-sync-file-keys-1"));
    for (int i = 0; i < 20; i++) {
      Files.writeString(spill.resolve("part-" + i), "keys");
    }

    assertThat(ScratchFolder.removeAbandoned(temporary, later())).containsExactly(folder);
    assertThat(folder).doesNotExist();
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

  /** Whether another JVM can take the lock of {@code lockFile}: "held" or "free". */
  private static String lockSeenByAnotherProcess(Path lockFile) throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TriesLock.class.getName(),
                lockFile.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String seen = firstLine(child);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return seen;
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

  /** Prints whether the lock of the file named first can be taken. */
  public static final class TriesLock {
    private TriesLock() {}

    /** Runs the child process of {@link #lockSeenByAnotherProcess}. */
    public static void main(String[] args) throws IOException {
      try (java.nio.channels.FileChannel channel =
              java.nio.channels.FileChannel.open(
                  Path.of(args[0]), java.nio.file.StandardOpenOption.WRITE);
          java.nio.channels.FileLock lock = channel.tryLock()) {
        System.out.println(lock == null ? "held" : "free");
      }
    }
  }

  /**
   * Makes a file in its scratch folder, prints its path, and waits for its input to end; removes
   * its folder as it ends, as the command line's stop hooks do.
   */
  public static final class MakesThenWaits {
    private MakesThenWaits() {}

    /** Runs the child process of the tests above. */
    public static void main(String[] args) throws IOException {
      Runtime.getRuntime().addShutdownHook(new Thread(ScratchFolder::removeProcessFolder));
      Path file = ScratchFolder.ofProcess().newFile("bucketload-spool-", ".rows");
      Files.writeString(file, "rows");
      System.out.println(file);
      System.out.flush();
      System.in.read();
    }
  }
}
