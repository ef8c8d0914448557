package io.bucketload.core.run;

import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.target.RowStage;
import java.util.Optional;
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
   * Whether the workers write the accepted rows of each part to a stage of the target when the
   * file's load opens one ({@link io.bucketload.core.target.TableLoad#openStage()}), handing back
   * only counts and rejects: worth it when the parts are read on other machines, whose rows would
   * otherwise all travel through the loading process; not on this process's threads.
   */
  default boolean stagesRows() {
    return false;
  }

  /**
   * Readers of one file's parts.
   *
   * @param file what a reader in another process needs to read the file's parts
   * @param local a reader of the file's parts in this process
   * @param stage where the workers write the parts' accepted rows, when the load opened a stage
   *     (only when {@link #stagesRows()})
   */
  Workers workers(FileParts file, PartReader local, Optional<RowStage> stage);

  /** Reads the parts of one file. */
  interface Workers extends AutoCloseable {
    /**
     * How many parts are held at once, being read or waiting for a reader, besides the one the
     * loading thread reads; at least 1.
     */
    int inFlight();

    /**
     * Starts reading {@code part}; the future holds its outcome, or fails with what kept it from
     * being read (never a malformed record: that is part of the outcome). With a stage, the
     * outcome's accepted rows are in the stage ({@link PartRows#staged()}), not in the outcome.
     */
    Future<PartRows> read(RecordSplitter.Part part);

    /** Stops reading; parts still being read are abandoned. Never throws. */
    @Override
    void close();
  }

  /** Parts of 128 KiB, {@code threads} at once on threads of this process. */
  static PartReading threads(int threads) {
    return new ThreadPartReading(threads);
  }
}
