package io.bucketload.core.scratch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's folder for the files its loads write while they run, in the system's temporary folder
 * ({@code java.io.tmpdir}): {@code bucketload-scratch-*}, holding a lock file that the process
 * keeps locked while it lives.
 *
 * <p>A load removes its files when it ends. The command line removes the folder when a command
 * ends, also when {@code run} is interrupted or {@code serve} stops after its grace period ({@link
 * #removeProcessFolder()}, called once the loads in hand are over). A process killed outright
 * (SIGKILL, the kernel's out-of-memory killer) cannot: its folder stays, and the kernel releases
 * its lock. The next process that makes a scratch folder in the same temporary folder removes every
 * such folder of the same user whose lock it can take, so a killed load's spool (up to 1 GiB) does
 * not stay on disk. A lock file made within the last minute is left alone (its folder may be one
 * another process is making), a folder without a lock file too, and a symbolic link is never
 * followed. The lock is the kernel's: the temporary folder must be local to the machine, not a
 * network file system shared by several.
 */
public final class ScratchFolder {
  private static final Logger LOG = LoggerFactory.getLogger(ScratchFolder.class);

  /** The start of every scratch folder's name. */
  static final String PREFIX = "bucketload-scratch-";

  /** The file in a scratch folder that its process keeps locked. */
  static final String LOCK = "owner.lock";

  /** How old a lock file must be before a folder whose lock is free is removed. */
  static final Duration CREATION_GRACE = Duration.ofMinutes(1);

  /**
   * The folders this JVM made and still holds. A sweep never opens their lock files: closing any
   * channel to a file drops every lock the process holds on it (POSIX record locks).
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

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
   * This process's scratch folder, made on first use (and again if it was removed meanwhile, by a
   * cleaner of the temporary folder, say), then the folders of killed processes removed.
   *
   * @throws IOException when the folder cannot be made in {@code java.io.tmpdir}
   */
  public static synchronized ScratchFolder ofProcess() throws IOException {
    if (process == null || !Files.isDirectory(process.folder, LinkOption.NOFOLLOW_LINKS)) {
      if (process != null) {
        process.remove();
      }
      Path root = Path.of(System.getProperty("java.io.tmpdir"));
      process = create(root);
      removeAbandoned(root, Instant.now());
    }
    return process;
  }

  /**
   * Removes this process's scratch folder, if it made one, with whatever is left in it; for the end
   * of a command, once no load runs. A later use makes a new one. Never throws.
   */
  public static synchronized void removeProcessFolder() {
    if (process != null) {
      process.remove();
      process = null;
    }
  }

  /** A new scratch folder in {@code root}, locked. */
  static ScratchFolder create(Path root) throws IOException {
    Path folder = Files.createTempDirectory(root, PREFIX);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              folder.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      ScratchFolder made = new ScratchFolder(folder, channel, channel.lock());
      HELD.add(folder);
      return made;
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      try {
        deleteTree(folder);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /**
   * Removes the scratch folders in {@code root} that no living process holds: folders of this
   * process's user, not this JVM's, whose lock file can be locked and is older than {@link
   * #CREATION_GRACE}. The lock is held while the folder is emptied and its lock file goes last, so
   * that a removal cut short is finished by a later one. Never throws; a folder that cannot be
   * removed is named in a warning.
   *
   * @return the folders removed
   */
  static List<Path> removeAbandoned(Path root, Instant now) {
    List<Path> removed = new ArrayList<>();
    UserPrincipal user = null;
    for (Path held : HELD) {
      if (held.getParent() != null && held.getParent().equals(root)) {
        user = owner(held);
      }
    }
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, PREFIX + "*")) {
      for (Path folder : folders) {
        if (HELD.contains(folder) || !candidate(folder, user, now)) {
          continue;
        }
        try {
          if (removeIfFree(folder)) {
            removed.add(folder);
          }
        } catch (IOException e) {
          LOG.warn(
              "could not remove {}, left by a bucketload process that was killed: {}",
              folder,
              e.getClass().getSimpleName() + ": " + e.getMessage());
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

  /** The owner of a file, or null when the file system names none. */
  private static UserPrincipal owner(Path path) {
    try {
      return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /**
   * Whether a folder may be an abandoned scratch folder: a real folder (not a link) of {@code user}
   * (when known), whose lock file was made before the grace began.
   */
  private static boolean candidate(Path folder, UserPrincipal user, Instant now) {
    try {
      return Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
          && (user == null || user.equals(owner(folder)))
          && Files.getLastModifiedTime(folder.resolve(LOCK), LinkOption.NOFOLLOW_LINKS)
              .toInstant()
              .isBefore(now.minus(CREATION_GRACE));
    } catch (IOException e) {
      // No lock file: a folder being made, or not one of ours.
      return false;
    }
  }

  /**
   * Takes the folder's lock and, holding it, removes the folder's files, then the lock file and the
   * folder; leaves it when another process holds the lock.
   *
   * @return whether the folder was removed
   */
  private static boolean removeIfFree(Path folder) throws IOException {
    Path lockFile = folder.resolve(LOCK);
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        FileLock taken = channel.tryLock()) {
      if (taken == null) {
        return false;
      }
      emptyUnderLock(folder);
    } catch (NoSuchFileException gone) {
      // Another process removed it meanwhile.
      return false;
    }
    Files.deleteIfExists(folder);
    return true;
  }

  /**
   * Removes a scratch folder's files, then its lock file, whose lock the caller holds: a removal
   * cut short leaves the lock file, and a later sweep finishes it.
   */
  private static void emptyUnderLock(Path folder) throws IOException {
    Path lockFile = folder.resolve(LOCK);
    deleteContents(folder, lockFile);
    Files.deleteIfExists(lockFile);
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
   * Removes a file, or a folder with everything in it, trying every file even when one fails; what
   * is already gone is not a failure.
   *
   * @throws IOException the first failure, after every file was tried
   */
  public static void deleteTree(Path path) throws IOException {
    deleteContents(path, null);
    Files.deleteIfExists(path);
  }

  /** Removes what {@code path} holds (never following a link), except {@code keep}. */
  private static void deleteContents(Path path, Path keep) throws IOException {
    IOException[] first = {null};
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (!file.equals(path) && !file.equals(keep)) {
              delete(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (!(e instanceof NoSuchFileException) && first[0] == null) {
              first[0] = e;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path directory, IOException e) {
            if (e != null && !(e instanceof NoSuchFileException) && first[0] == null) {
              first[0] = e;
            }
            if (!directory.equals(path)) {
              delete(directory);
            }
            return FileVisitResult.CONTINUE;
          }

          private void delete(Path file) {
            try {
              Files.deleteIfExists(file);
            } catch (IOException e) {
              if (first[0] == null) {
                first[0] = e;
              }
            }
          }
        });
    if (first[0] != null) {
      throw first[0];
    }
  }

  /**
   * Removes the folder: its files, then, the lock still held, the lock file; then the lock and the
   * folder. Never throws: what cannot be removed is named in a warning, and a later process removes
   * it once this one has ended.
   */
  void remove() {
    HELD.remove(folder);
    try {
      emptyUnderLock(folder);
    } catch (IOException e) {
      LOG.warn(
          "could not remove the scratch folder {}: {}",
          folder,
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    try {
      lock.release();
      lockChannel.close();
      Files.deleteIfExists(folder);
    } catch (IOException e) {
      // Files left by a load still running; a later process removes them.
    }
  }
}
