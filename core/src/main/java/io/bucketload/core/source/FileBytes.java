package io.bucketload.core.source;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one version of a file, readable from any offset: a local file, or an object read
 * with ranged requests pinned to its version. What lets a file be cut into parts read apart ({@link
 * io.bucketload.core.csv.RecordSplitter}). Implementations are thread-safe; each stream is read by
 * one thread.
 */
public interface FileBytes {
  /** The file's size in bytes. */
  long size();

  /**
   * Opens bytes {@code [start, end)}.
   *
   * @throws IOException when they cannot be read (the version was replaced, the store is down)
   */
  InputStream open(long start, long end) throws IOException;

  /** Whether the bytes are on this machine's file system (a read costs no request). */
  boolean local();

  /**
   * What another process passes to {@link Source#bytes(SourceObject, String)} to read this same
   * version; empty for a local file (its path is what names it).
   */
  String pin();

  /** Where the bytes are, for messages. */
  String describe();
}
