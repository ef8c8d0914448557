package io.bucketload.core.run;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.StagedRows;
import io.bucketload.core.target.TableLoad;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands chunks to a writer thread through a small bounded queue, so that reading and converting the
 * next chunk overlaps with writing the previous one while memory stays bounded (at most {@value
 * #IN_FLIGHT} chunks queued). Rows a worker wrote to the load's stage are handed over the same way,
 * in file order. The table load is only ever used by the writer thread until {@link #finish()}
 * returns.
 */
final class ChunkWriter implements AutoCloseable {
  static final int IN_FLIGHT = 2;
  private static final Object END = new Object();

  /** Chunks to write, {@link StagedRows} to take, then {@link #END}. */
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(IN_FLIGHT);

  private final Thread thread;
  private final TableLoad transaction;
  private volatile RuntimeException failure;
  private boolean ended;

  ChunkWriter(TableLoad transaction, String name) {
    this.transaction = transaction;
    this.thread = new Thread(this::drain, "bucketload-writer-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void drain() {
    try {
      while (true) {
        Object item = queue.take();
        if (item == END) {
          return;
        }
        if (failure == null) {
          try {
            if (item instanceof RowChunk chunk) {
              transaction.write(chunk);
            } else {
              transaction.takeStaged((StagedRows) item);
            }
          } catch (RuntimeException e) {
            failure = e;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = TargetException.system("the writer was interrupted", e, true);
    }
  }

  /** Queues a chunk, waiting while the queue is full; rethrows an earlier write failure. */
  void submit(RowChunk chunk) {
    rethrow();
    put(chunk);
  }

  /** Queues rows a worker staged, after the chunks queued before; rethrows an earlier failure. */
  void submitStaged(StagedRows rows) {
    rethrow();
    put(rows);
  }

  /** Waits until every queued chunk is written; rethrows a write failure. */
  void finish() {
    end();
    rethrow();
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    put(END);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TargetException.system("interrupted while waiting for writes", e, true);
    }
  }

  private void put(Object item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TargetException.system("interrupted while queueing rows", e, true);
    }
  }

  private void rethrow() {
    RuntimeException error = failure;
    if (error != null) {
      throw error;
    }
  }

  /** Stops the writer thread, discarding anything still queued. Never throws. */
  @Override
  public void close() {
    if (!ended) {
      failure = failure == null ? TargetException.system("load abandoned", null, false) : failure;
      try {
        end();
      } catch (RuntimeException e) {
        // Already failing: the original failure is what matters.
      }
    }
  }
}
