package io.bucketload.core.run;

import io.bucketload.core.source.SourceObject;

/**
 * Observes a run, e.g. to draw a progress bar. Every method does nothing by default. Called from
 * the runner's thread; implementations must be quick.
 */
public interface LoadListener {
  /** A listener that does nothing. */
  LoadListener NONE = new LoadListener() {};

  /** A file's load starts. */
  default void fileStarted(SourceObject object) {}

  /**
   * Rows have been read.
   *
   * @param object the file
   * @param rowsRead data records read so far, or -1 while a target that reads the file itself
   *     ({@link io.bucketload.core.target.TableLoad#readDirectly}) tells bytes only
   * @param bytesRead bytes of the object read so far (compressed bytes for gzip)
   */
  default void progress(SourceObject object, long rowsRead, long bytesRead) {}

  /** A file's load ended, whatever its outcome. */
  default void fileFinished(FileReport report) {}
}
