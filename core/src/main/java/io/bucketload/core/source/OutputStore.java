package io.bucketload.core.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where bucketload writes what it produces from a source's files: rejects, copies of files that
 * failed, exports. Beside the files by default (the source's own folder or prefix, when it is
 * writable), or the folder or {@code s3://} prefix of {@code source.output}.
 *
 * <p>Paths are relative to the store's root and use {@code /}; {@link OutputPaths} derives them
 * from the object they belong to. A file becomes visible when its stream closes; an earlier file of
 * the same path is replaced. Implementations are thread-safe. I/O failures are {@link
 * IOException}s. {@link #close()} releases clients and never throws.
 */
public interface OutputStore extends AutoCloseable {
  /** Describes the store for people, e.g. {@code ./landing} or {@code s3://bucket/out/}. */
  String describe();

  /**
   * Creates a file.
   *
   * @param path where, relative to the store's root
   * @return the stream and the file's location
   */
  Output create(String path) throws IOException;

  /**
   * Removes a file, if there is one.
   *
   * @return whether something was removed
   */
  boolean delete(String path) throws IOException;

  /**
   * Opens a file written earlier, to read it back (the history page shows a run's rejects).
   *
   * @param path where, relative to the store's root
   * @return the file, empty when there is no such file; the caller closes its stream
   */
  Optional<Stored> open(String path) throws IOException;

  /**
   * A file written earlier, opened to be read.
   *
   * @param stream its bytes
   * @param modified when it was last written, as the store tells
   */
  record Stored(InputStream stream, java.time.Instant modified) implements AutoCloseable {
    /** Checks the fields. */
    public Stored {
      java.util.Objects.requireNonNull(stream, "stream");
      java.util.Objects.requireNonNull(modified, "modified");
    }

    /** Closes the stream. */
    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  /**
   * Copies a source's object to {@code path}. Stores that can copy on the server side from that
   * source do so; the default streams the bytes through.
   *
   * @return where the copy is, for people and reports
   */
  default String copy(Source source, SourceObject object, String path) throws IOException {
    Output output = create(path);
    try (InputStream in = source.open(object);
        OutputStream out = output.stream()) {
      in.transferTo(out);
    }
    return output.location();
  }

  /** Releases clients. Never throws. */
  @Override
  default void close() {}

  /**
   * A file being written, and where it will be.
   *
   * @param stream the stream; closing it publishes the file
   * @param location where the file will be, for people and reports
   */
  record Output(OutputStream stream, String location) {
    /** Checks the fields. */
    public Output {
      java.util.Objects.requireNonNull(stream, "stream");
      java.util.Objects.requireNonNull(location, "location");
    }
  }
}
