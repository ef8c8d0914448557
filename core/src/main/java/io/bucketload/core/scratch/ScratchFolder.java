package io.bucketload.core.scratch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's folder for the files its loads write while they run, in the system's temporary folder
 * ({@code java.io.tmpdir}): {@code bucketload-scratch-*}, holding a lock file that the process
 * keeps locked while it lives.
 *
 * <p>A load removes its files when it ends. A process stopped by a signal that lets it end
 * (SIGTERM, SIGINT) removes the folder, with the files of the loads still running, from a shutdown
 * hook. A process killed outright (SIGKILL, the kernel's out-of-memory killer) cannot: its folder
 * stays, and its lock is released by the kernel. The next process that needs a scratch folder in
 * the same temporary folder removes every such folder of its user whose lock it can take, so a
 * killed load's spool (up to 1 GiB) does not stay on disk. A lock taken within the last minute is
 * left alone: the folder may be one another process is creating. A symbolic link is never followed.
 */
public final class ScratchFolder {
  private static final Logger LOG = LoggerFactory.getLogger(ScratchFolder.class);

  /** The start of every scratch folder's name. */
  static final String PREFIX = "bucketload-scratch-";

  /** The file in a scratch folder that its process keeps locked. */
  static final String LOCK = "owner.lock";

  /** How old a lock file must be before a folder whose lock is free is removed. */
  static final Duration CREATION_GRACE = Duration.ofMinutes(1);

  private static ScratchFolder process;

  private final Path folder;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private ScratchFolder(Path folder, FileChannel lockChannel, FileLock lock) {
    this.folder = folder;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * This process's scratch folder, made on first use (after removing the folders of processes that
   * were killed), removed when the process ends.
   *
   * @throws IOException when the folder cannot be made in {@code java.io.tmpdir}
   */
  public static synchronized ScratchFolder ofProcess() throws IOException {
    if (process == null) {
      Path root = Path.of(System.getProperty("java.io.tmpdir"));
      removeAbandoned(root, Instant.now());
      ScratchFolder made = create(root);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(made::removeQuietly, "bucketload-scratch-removal"));
      process = made;
    }
    return process;
  }

  /** A new scratch folder in {@code root}, locked. */
  static ScratchFolder create(Path root) throws IOException {
    Path folder = Files.createTempDirectory(root, PREFIX);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              folder.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new ScratchFolder(folder, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      deleteTree(folder);
      throw e;
    }
  }

  /**
   * Removes the scratch folders in {@code root} that no living process holds: those whose lock file
   * can be locked and is older than {@link #CREATION_GRACE}. Never throws; a folder that cannot be
   * removed is named in a warning.
   *
   * @return the folders removed
   */
  static List<Path> removeAbandoned(Path root, Instant now) {
    List<Path> removed = new java.util.ArrayList<>();
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, PREFIX + "*")) {
      for (Path folder : folders) {
        if (abandoned(folder, now)) {
          try {
            deleteTree(folder);
            removed.add(folder);
          } catch (IOException | UncheckedIOException e) {
            LOG.warn(
                "could not remove {}, left by a bucketload process that was killed: {}",
                folder,
                e.getClass().getSimpleName() + ": " + e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      LOG.warn(
          "could not look for scratch folders left in {}: {}",
          root,
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (!removed.isEmpty()) {
      LOG.info(
          "removed {} scratch folder(s) left in {} by bucketload processes that were killed",
          removed.size(),
          root);
    }
    return removed;
  }

  /**
   * Whether no process holds the folder's lock, taken long enough ago, in a folder of this
   * process's user (another user's folder is that user's to remove).
   */
  private static boolean abandoned(Path folder, Instant now) {
    Path lockFile = folder.resolve(LOCK);
    try {
      if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
          || !Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS)
              .getName()
              .equals(System.getProperty("user.name"))
          || Files.getLastModifiedTime(lockFile).toInstant().isAfter(now.minus(CREATION_GRACE))) {
        return false;
      }
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
          FileLock taken = channel.tryLock()) {
        return taken != null;
      } catch (OverlappingFileLockException held) {
        // This process holds it.
        return false;
      }
    } catch (IOException | UnsupportedOperationException e) {
      // No lock file (a folder being made or being removed), none that can be opened, or a file
      // system that names no owner.
      return false;
    }
  }

  /** The folder. */
  public Path path() {
    return folder;
  }

  /**
   * A new empty file in the folder, named {@code prefix}, a random part and {@code suffix}.
   *
   * @throws IOException when it cannot be made
   */
  public Path newFile(String prefix, String suffix) throws IOException {
    return Files.createTempFile(folder, prefix, suffix);
  }

  /**
   * A new empty folder in the folder, named {@code prefix} and a random part.
   *
   * @throws IOException when it cannot be made
   */
  public Path newFolder(String prefix) throws IOException {
    return Files.createTempDirectory(folder, prefix);
  }

  /**
   * Removes a file, or a folder with everything in it, trying every file even when one fails.
   *
   * @throws IOException the first failure, after every file was tried
   */
  public static void deleteTree(Path path) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(path)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (NoSuchFileException gone) {
      return;
    }
    IOException first = null;
    for (Path each : paths) {
      try {
        Files.deleteIfExists(each);
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Releases the lock and removes the folder; for the shutdown hook and tests. */
  void removeQuietly() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // The process ends; the kernel releases the lock.
    }
    try {
      deleteTree(folder);
    } catch (IOException | UncheckedIOException e) {
      // The next process removes it, its lock free.
    }
  }
}
