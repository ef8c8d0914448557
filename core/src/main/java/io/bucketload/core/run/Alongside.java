package io.bucketload.core.run;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work on a file done on a thread of its own beside the load (its checksum, the check of its
 * values), whose result the load takes when it needs it.
 *
 * @param <T> the result
 */
final class Alongside<T> {
  private final FutureTask<T> task;

  private Alongside(FutureTask<T> task) {
    this.task = task;
  }

  /** Starts {@code work} on a daemon thread named {@code name}. */
  static <T> Alongside<T> start(String name, Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return new Alongside<>(task);
  }

  /**
   * Waits for the result.
   *
   * @param doing what the work does, for the message of an interrupted wait
   * @throws IOException the work's own, or when the wait is interrupted
   */
  T result(String doing) throws IOException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + doing);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Stops the work, interrupting its reads; the result is not wanted. */
  void cancel() {
    task.cancel(true);
  }
}
