package io.bucketload.spark;

import java.util.HashSet;
import java.util.Set;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Counts the tasks that run, from Spark's listener bus, which tells of a task's start before the
 * end of its job: once a job's end is told and no task runs, none of its tasks can still commit.
 */
final class RunningTasks extends SparkListener {
  private final Set<Integer> ended = new HashSet<>();
  private int running;

  @Override
  public synchronized void onTaskStart(SparkListenerTaskStart start) {
    running++;
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    running--;
    notifyAll();
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd end) {
    ended.add(end.jobId());
    notifyAll();
  }

  /**
   * Waits until the jobs {@code jobs} ended and no task runs, at most {@code millis}; an interrupt
   * does not cut the wait short (it is kept for the caller).
   *
   * @return whether that state was reached in time
   */
  synchronized boolean awaitIdle(Set<Integer> jobs, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    boolean interrupted = false;
    try {
      while (!(ended.containsAll(jobs) && running <= 0)) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        try {
          wait(left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
