package io.bucketload.core.run;

import io.bucketload.core.source.FileVersion;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.InputSpec;
import java.time.Instant;

/**
 * A file to load as one of a pipeline's inputs, and when work on it started. A task is itself and
 * nothing else: it is a key of the run's maps by identity, so that using it does not hash its
 * input's whole specification (nor start the JDK's machinery for a record's value methods, some 20
 * ms of every command).
 */
final class FileTask {
  private final InputSpec input;
  private final SourceObject object;
  private final Instant started;
  private final long startNanos;

  /**
   * @param input the input it belongs to
   * @param object the file
   * @param started when work on it started
   * @param startNanos the same moment on the monotonic clock, for durations
   */
  FileTask(InputSpec input, SourceObject object, Instant started, long startNanos) {
    this.input = input;
    this.object = object;
    this.started = started;
    this.startNanos = startNanos;
  }

  InputSpec input() {
    return input;
  }

  SourceObject object() {
    return object;
  }

  Instant started() {
    return started;
  }

  long startNanos() {
    return startNanos;
  }

  static FileTask of(InputSpec input, SourceObject object, RunContext run) {
    return new FileTask(input, object, run.clock().instant(), System.nanoTime());
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /**
   * The file, identified.
   *
   * @param task the file
   * @param version its version
   * @param supersedes the run whose load of the file a load of this version supersedes
   */
  record Identified(FileTask task, FileVersion version, String supersedes) {}
}
