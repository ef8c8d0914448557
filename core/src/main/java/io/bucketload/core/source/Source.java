package io.bucketload.core.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A landing zone bucketload reads files from: a folder, a bucket prefix, a set of URLs. Read-only:
 * what bucketload writes back (rejects, failed copies, exports) goes to an {@link OutputStore}.
 *
 * <p>Implementations are thread-safe. Arguments and results are never null. I/O failures are {@link
 * IOException}s and count as system failures; an object that does not exist is a {@link
 * java.nio.file.NoSuchFileException}. {@link #close()} releases clients and never throws.
 */
public interface Source extends AutoCloseable {
  /** Describes the source for people, e.g. {@code ./landing} or {@code s3://bucket/prefix/}. */
  String describe();

  /** Lists the objects that match the pipeline's {@code source.match}, sorted by key. */
  List<SourceObject> list() throws IOException;

  /**
   * Up to {@code limit} keys under the source whatever {@code match} says (hidden files and
   * bucketload's own folders left out), for messages such as "the pattern matched nothing; these
   * files are there". Empty by default.
   */
  default List<String> sampleKeys(int limit) throws IOException {
    return List.of();
  }

  /**
   * Whether a name from an event or a trigger (a URI or a key) is an object of this source that
   * matches its {@code match}: what a trigger loads, the rest it ignores. Answers from the name
   * alone, without I/O.
   */
  boolean owns(String name);

  /**
   * Whether the source is one file named by its address (a URL), which is loaded whatever its name:
   * {@code source.match} chooses among the files of a folder or a prefix. False by default.
   */
  default boolean oneFile() {
    return false;
  }

  /**
   * Whether {@link #list()} finds files that exist (a folder, a bucket), so that a file listed and
   * then not found was removed meanwhile; false for files it names without looking (URLs). True by
   * default.
   */
  default boolean listsWhatExists() {
    return true;
  }

  /**
   * What tells, without reading a file that {@link #list()} names without looking, whether it
   * changed since this was last asked: the version its server gives to a {@code HEAD} request.
   * Empty when only reading it can tell. A watch of such a source asks it every period. Empty by
   * default.
   *
   * @throws IOException when the source cannot be asked
   */
  default java.util.Optional<String> versionTag(SourceObject object) throws IOException {
    return java.util.Optional.empty();
  }

  /**
   * Resolves an object named on the command line or in an event (a path, a key or a URI).
   *
   * @throws java.nio.file.NoSuchFileException when it does not exist
   */
  SourceObject resolve(String name) throws IOException;

  /**
   * Identifies the object's current version. Object stores answer from metadata (version id, ETag);
   * a folder reads the file once to checksum it.
   */
  FileVersion identify(SourceObject object) throws IOException;

  /**
   * Opens the bytes of the version last identified (or, if none was, of the current one) as a
   * stream; the caller closes it. A read that cannot return that version's bytes fails rather than
   * mix two versions.
   */
  InputStream open(SourceObject object) throws IOException;

  /**
   * The object as a file on this machine, when it is one: then parts of it can be read on several
   * threads at once. Empty by default (object stores, HTTP).
   */
  default java.util.Optional<java.nio.file.Path> localFile(SourceObject object) {
    return java.util.Optional.empty();
  }

  /**
   * The object's bytes readable from any offset, so that it can be cut into parts read apart: a
   * local file, or (for object stores that read ranges) the version {@code pin} names, or the one
   * last identified when {@code pin} is empty. Empty when the source cannot read ranges (HTTP).
   *
   * @param pin what {@link FileBytes#pin()} gave in the process that identified the version, or
   *     empty
   * @throws IOException when the object cannot be looked at
   */
  default java.util.Optional<FileBytes> bytes(SourceObject object, String pin) throws IOException {
    java.util.Optional<java.nio.file.Path> file = localFile(object);
    return file.isPresent()
        ? java.util.Optional.of(new LocalFileBytes(file.get()))
        : java.util.Optional.empty();
  }

  /**
   * The object's current size, when {@link #identify} would read the whole object to checksum it (a
   * local file not checksummed before in this process); empty when identifying it is cheap. A
   * runner that can tell from the ledger that no version of this size was seen loads the file while
   * {@link #identify} runs beside it.
   *
   * @throws IOException when the object cannot be looked at
   */
  default java.util.OptionalLong sizeWhenIdentifyReads(SourceObject object) throws IOException {
    return java.util.OptionalLong.empty();
  }

  /**
   * Confirms, once the object's rows are read and before they are committed, that it is still the
   * version {@link #identify} identified, so that a ledger entry never records one version with the
   * rows of another. Does nothing by default: an object store's version, or a downloaded copy, does
   * not change under the reader.
   *
   * @throws SourceReadException when the object was replaced or rewritten since it was identified
   * @throws IOException when the object cannot be looked at
   */
  default void confirmUnchanged(SourceObject object) throws IOException {}

  /**
   * Notes what the object is now, before a reader opens it, for an {@link #identify} about to run
   * beside the read: that identify then fails when the object changed in between, instead of
   * identifying a version the reader did not read. Does nothing by default.
   *
   * @throws IOException when the object cannot be looked at
   */
  default void pin(SourceObject object) throws IOException {}

  /** Releases clients and connections. Never throws. */
  @Override
  default void close() {}

  /**
   * Whether reading a file costs network requests (an S3 bucket, an HTTP server), so that a file
   * checked in full before its writes is kept on local disk rather than read twice. False for a
   * local folder.
   */
  default boolean remote() {
    return false;
  }
}
