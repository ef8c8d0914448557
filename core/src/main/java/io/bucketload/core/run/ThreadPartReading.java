package io.bucketload.core.run;

import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.target.RowStage;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/** Parts read by a pool of daemon threads per file, in this process. */
final class ThreadPartReading implements PartReading {
  /**
   * The size a part reaches before it ends at the next record's end: 128 KiB. The rows of the parts
   * in flight stay live until they are handed over, so they must fit the young generation's
   * survivor space (12.8 MB with the launcher's options) or every collection copies them into the
   * old one: with parts of 1 MiB, reading 1,000,000 rows on 2 threads paused for 363 ms instead of
   * 112 ms, on 4 threads for 906 ms with 3 full collections, and more threads were slower than one.
   * With 128 KiB, 112-128 ms on 2 and 4 threads (docs/performance.md). With two parts in flight per
   * thread ({@link Workers#inFlight()}), validating the same file paused 74-78 ms in all on 2
   * threads and 103-104 ms on 4, against 71-73 and 81-82 ms with one, and no full collection.
   */
  static final long PART_BYTES = 1L << 17;

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final int threads;

  ThreadPartReading(int threads) {
    this.threads = threads;
  }

  @Override
  public long partBytes() {
    return PART_BYTES;
  }

  @Override
  public int inFlight() {
    return threads;
  }

  @Override
  public Workers workers(FileParts file, PartReader local, Optional<RowStage> stage) {
    int pool = POOLS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    ExecutorService workers =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread =
                  new Thread(task, "bucketload-read-" + pool + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    return new Workers() {
      /**
       * Two parts per thread: one being read, one queued, so that a thread that finished a part has
       * the next while the loading thread waits for an earlier one. With one per thread, the
       * parse+convert of the 79 MB orders file in parts on 2 threads ran at 385-393 MB/s; with two,
       * 447-452 MB/s (bench/src/ParseThroughput.java).
       */
      @Override
      public int inFlight() {
        return 2 * threads;
      }

      @Override
      public Future<PartRows> read(RecordSplitter.Part part) {
        return workers.submit(() -> local.read(part));
      }

      @Override
      public void close() {
        workers.shutdownNow();
        try {
          if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
            LoggerFactory.getLogger(ParallelReading.class)
                .warn(
                    "{}: reading threads still busy 10 s after the file was done",
                    local.fileName());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
