package io.bucketload.app;

import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.scratch.ScratchFolder;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.target.Target;
import java.io.PrintWriter;

/**
 * What a {@code run} does when it is interrupted (Ctrl-C, SIGTERM): says which file was in hand and
 * that nothing of it was committed, removes the target's scratch files and the process's scratch
 * folder ({@link ScratchFolder}), and ends the process with exit code 130. Also a {@link
 * LoadListener} that tracks the file in hand, passing every event on.
 */
final class InterruptedRun implements LoadListener {
  /** The exit code of an interrupted run, as shells report Ctrl-C. */
  static final int EXIT_CODE = 130;

  private final LoadListener next;
  private final PrintWriter err;
  private volatile String current = "";
  private volatile boolean finished;
  private volatile Target target;
  private final Thread hook;

  InterruptedRun(LoadListener next, PrintWriter err) {
    this.next = next;
    this.err = err;
    this.hook = new Thread(this::interrupted, "bucketload-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The target the run writes to, whose scratch files an interrupt removes. */
  void target(Target target) {
    this.target = target;
  }

  /** The run ended by itself: an exit from now on is not an interrupt. */
  void finished() {
    finished = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down.
    }
  }

  private void interrupted() {
    if (finished) {
      return;
    }
    String file = current;
    err.println(
        file.isEmpty()
            ? "bucketload: interrupted between files; the files reported above are committed"
            : "bucketload: interrupted: nothing of " + file + " was committed");
    err.flush();
    Target held = target;
    if (held != null) {
      held.abandon();
    }
    ScratchFolder.removeProcessFolder();
    Runtime.getRuntime().halt(EXIT_CODE);
  }

  @Override
  public void fileStarted(SourceObject object) {
    current = object.key();
    next.fileStarted(object);
  }

  @Override
  public void progress(SourceObject object, long rowsRead, long bytesRead) {
    next.progress(object, rowsRead, bytesRead);
  }

  @Override
  public void fileFinished(FileReport report) {
    current = "";
    next.fileFinished(report);
  }
}
