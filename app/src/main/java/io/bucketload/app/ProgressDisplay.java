package io.bucketload.app;

import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.source.SourceObject;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows load progress on standard error: a progress bar (rows, MB/s, ETA) on a terminal, or a plain
 * line every second ({@code --progress log}).
 */
final class ProgressDisplay implements LoadListener {
  /** How progress is shown. */
  enum Mode {
    /** A bar on a terminal for files of 8 MB or more; nothing when output is not a terminal. */
    AUTO,
    /** Always a bar. */
    BAR,
    /** A plain line per second, for logs. */
    LOG,
    /** Nothing. */
    NONE
  }

  private static final long AUTO_MIN_BYTES = 8L << 20;
  private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

  private final Mode mode;
  private final PrintStream err;
  private ProgressBar bar;
  private long started;
  private long lastLog;

  ProgressDisplay(Mode mode, PrintStream err) {
    this.mode = mode == Mode.AUTO && System.console() == null ? Mode.NONE : mode;
    this.err = err;
  }

  @Override
  public void fileStarted(SourceObject object) {
    started = System.nanoTime();
    lastLog = started;
    boolean wantBar = mode == Mode.BAR || (mode == Mode.AUTO && object.size() >= AUTO_MIN_BYTES);
    if (wantBar) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(io.bucketload.core.run.OneLine.of(object.name()))
              .setInitialMax(Math.max(1, object.size()))
              .setUnit(" MB", 1_000_000)
              .setStyle(ProgressBarStyle.ASCII)
              .showSpeed()
              .setUpdateIntervalMillis(500)
              .setConsumer(new me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer(err))
              .build();
    } else if (mode == Mode.LOG) {
      err.printf(
          Locale.ROOT,
          "%s: started (%.1f MB)%n",
          io.bucketload.core.run.OneLine.of(object.key()),
          object.size() / 1e6);
    }
  }

  @Override
  public void progress(SourceObject object, long rowsRead, long bytesRead) {
    if (bar != null) {
      bar.stepTo(bytesRead);
      bar.setExtraMessage(rowsRead < 0 ? "" : String.format(Locale.ROOT, " %,d rows", rowsRead));
    } else if (mode == Mode.LOG) {
      long now = System.nanoTime();
      if (now - lastLog >= LOG_INTERVAL_NANOS) {
        lastLog = now;
        double seconds = (now - started) / 1e9;
        err.printf(
            Locale.ROOT,
            "%s: %s%.1f of %.1f MB, %.1f MB/s%n",
            io.bucketload.core.run.OneLine.of(object.key()),
            rowsRead < 0 ? "" : rowsRead + " rows, ",
            bytesRead / 1e6,
            object.size() / 1e6,
            bytesRead / 1e6 / seconds);
      }
    }
  }

  @Override
  public void fileFinished(FileReport report) {
    if (bar != null) {
      bar.stepTo(bar.getMax());
      bar.close();
      bar = null;
    } else if (mode == Mode.LOG) {
      err.printf(
          Locale.ROOT,
          "%s: %s%n",
          io.bucketload.core.run.OneLine.of(report.file()),
          report.status().reportName());
    }
  }
}
