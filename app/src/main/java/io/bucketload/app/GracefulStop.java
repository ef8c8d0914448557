package io.bucketload.app;

import io.bucketload.core.scratch.ScratchFolder;
import io.bucketload.core.trigger.StopSignal;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a service on SIGTERM or Ctrl-C: no new work is taken, the file in hand may finish within
 * the grace period, then the process exits 0 ("stopped"). A load still running after the grace
 * period ends with the process; nothing of it is committed and its delivery comes back.
 */
final class GracefulStop {
  private final StopSignal runs;
  private final Thread hook;
  private final CountDownLatch done = new CountDownLatch(1);

  private GracefulStop(StopSignal runs, Duration grace, PrintWriter err) {
    this.runs = runs;
    this.hook =
        new Thread(
            () -> {
              err.println(
                  "bucketload: stopping; a load in hand, if any, may finish within "
                      + grace.toSeconds()
                      + " s");
              err.flush();
              runs.stop();
              boolean finished;
              try {
                finished = done.await(grace.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
              }
              err.println(
                  finished
                      ? "bucketload: stopped"
                      : "bucketload: stopped after the grace period; unfinished work is delivered"
                          + " again");
              err.flush();
              // The load in hand is over or given up: its scratch files can go.
              ScratchFolder.removeProcessFolder();
              // A stop asked for is a clean end: exit 0 rather than the signal's status.
              Runtime.getRuntime().halt(0);
            },
            "bucketload-stop");
  }

  /** Installs the shutdown hook. */
  static GracefulStop install(StopSignal runs, Duration grace, PrintWriter err) {
    GracefulStop stop = new GracefulStop(runs, grace, err);
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /** The service ended by itself or after a stop: a waiting hook may finish the exit. */
  void finished() {
    done.countDown();
    if (!runs.stopping()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook runs and exits.
      }
    }
  }
}
