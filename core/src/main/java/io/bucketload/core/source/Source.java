package io.bucketload.core.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A landing zone: a folder or a bucket prefix. Implementations are thread-safe.
 *
 * <p>I/O failures are {@link IOException}s and count as system failures; an object that does not
 * exist is a {@link java.nio.file.NoSuchFileException}.
 */
public interface Source {
  /** Describes the source for people, e.g. {@code ./landing} or {@code s3://bucket/prefix/}. */
  String describe();

  /** Lists the objects that match the pipeline's {@code source.match}, sorted by key. */
  List<SourceObject> list() throws IOException;

  /**
   * Resolves an object named on the command line or in an event (a path, or a key).
   *
   * @throws java.nio.file.NoSuchFileException when it does not exist
   */
  SourceObject resolve(String name) throws IOException;

  /**
   * Identifies the object's current version. Object stores answer from metadata (version id, ETag);
   * a folder reads the file once to checksum it.
   */
  FileVersion identify(SourceObject object) throws IOException;

  /** Opens the object's bytes as a stream; the caller closes it. */
  InputStream open(SourceObject object) throws IOException;

  /**
   * Creates an output beside the object, e.g. {@code rejected/<name>.rejects.csv}. What is written
   * becomes visible when the stream closes; an earlier output of the same name is replaced.
   *
   * @param beside the object it belongs to
   * @param folder the folder under the object's own folder, e.g. {@code rejected}
   * @param fileName the new file's name
   * @return the stream and its location
   */
  Output create(SourceObject beside, String folder, String fileName) throws IOException;

  /**
   * Removes an earlier output beside the object, if there is one (e.g. the rejects of a previous
   * version of a file that now has none).
   *
   * @return whether something was removed
   */
  boolean delete(SourceObject beside, String folder, String fileName) throws IOException;

  /**
   * Copies the object into a folder beside it (e.g. {@code failed/}), keeping its name and
   * replacing an earlier copy. Object stores copy on the server side.
   *
   * @return where the copy is, for people and reports
   */
  String copy(SourceObject object, String folder) throws IOException;

  /** A stream being written into the source, and where it will be. */
  interface Output {
    /** The stream; closing it publishes the file. */
    OutputStream stream();

    /** Where the file will be, for people and reports. */
    String location();

    /** An output of a stream and its location. */
    static Output of(OutputStream stream, String location) {
      return new Output() {
        @Override
        public OutputStream stream() {
          return stream;
        }

        @Override
        public String location() {
          return location;
        }
      };
    }
  }
}
