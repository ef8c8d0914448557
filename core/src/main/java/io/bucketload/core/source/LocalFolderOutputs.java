package io.bucketload.core.source;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A local folder as the {@link OutputStore}: files are written under a hidden {@code
 * .NAME.RANDOM.partial} name and moved into place atomically when their stream closes, so a reader
 * never sees half a file, and two runs that write the same file at once (each the same rejects of
 * the same version) do not take each other's temporary file away. Thread-safe.
 */
public final class LocalFolderOutputs implements OutputStore {
  private final Path root;

  /**
   * Creates the store.
   *
   * @param root the folder; created on the first write
   */
  public LocalFolderOutputs(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public String describe() {
    return root.toString();
  }

  private Path pathOf(String path) {
    return root.resolve(path).normalize();
  }

  @Override
  public Output create(String path) throws IOException {
    Path target = pathOf(path);
    Path directory = target.getParent();
    Files.createDirectories(directory);
    Path partial =
        directory.resolve(
            "."
                + target.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)
                + ".partial");
    OutputStream stream =
        new BufferedOutputStream(
            Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            1 << 16) {
          private boolean closed;

          @Override
          public void close() throws IOException {
            if (closed) {
              return;
            }
            closed = true;
            super.close();
            Files.move(
                partial,
                target,
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
          }
        };
    return new Output(stream, target.toString());
  }

  @Override
  public Optional<Stored> open(String path) throws IOException {
    Path file = pathOf(path);
    try {
      InputStream stream = Files.newInputStream(file);
      try {
        return Optional.of(new Stored(stream, Files.getLastModifiedTime(file).toInstant()));
      } catch (IOException e) {
        stream.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean delete(String path) throws IOException {
    return Files.deleteIfExists(pathOf(path));
  }
}
