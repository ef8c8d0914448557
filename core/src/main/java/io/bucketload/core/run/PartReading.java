package io.bucketload.core.run;

import io.bucketload.core.csv.RecordSplitter;
import java.util.concurrent.Future;

/**
 * Where the parts of a file that can be cut ({@link RecordSplitter}) are read while the file loads:
 * by threads of the loading process ({@link #threads}, what {@code source.read_threads} sets), or
 * by a cluster's executors (bucketload on Spark). Whoever reads them, the loading process takes the
 * parts' outcomes in file order, so that the load is the same as when one thread reads the file.
 */
public interface PartReading {
  /** The size a part reaches before it ends at the next record's end. */
  long partBytes();

  /**
   * How many parts are read at once besides the one the loading thread reads; below 2, files are
   * not cut.
   */
  int inFlight();

  /**
   * Whether objects of remote stores that read byte ranges (S3) are cut too: worth it when the
   * parts are read on other machines, each reading its own ranges; not on this process's threads,
   * where it would read the object twice (once to find the parts, once to read them).
   */
  default boolean readsRanges() {
    return false;
  }

  /**
   * Readers of one file's parts.
   *
   * @param file what a reader in another process needs to read the file's parts
   * @param local a reader of the file's parts in this process
   */
  Workers workers(FileParts file, PartReader local);

  /** Reads the parts of one file. */
  interface Workers extends AutoCloseable {
    /**
     * Starts reading {@code part}; the future holds its outcome, or fails with what kept it from
     * being read (never a malformed record: that is part of the outcome).
     */
    Future<PartRows> read(RecordSplitter.Part part);

    /** Stops reading; parts still being read are abandoned. Never throws. */
    @Override
    void close();
  }

  /** Parts of 1 MB, {@code threads} at once on threads of this process. */
  static PartReading threads(int threads) {
    return new ThreadPartReading(threads);
  }
}
