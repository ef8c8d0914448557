package io.bucketload.app;

import io.bucketload.core.error.Fault;
import io.bucketload.core.run.RunReport;

/** The exit codes of every command. */
public enum ExitCode {
  /** Every file loaded, or was already loaded. */
  OK(0),
  /** A file failed: over its reject threshold, a missing key column, malformed CSV. */
  FILE_FAILED(1),
  /** Usage or configuration error: nothing was attempted. */
  USAGE(2),
  /** System failure: target unreachable, disk full. Trying again later may succeed. */
  SYSTEM(3),
  /**
   * The target is busy: another bucketload run holds the DuckDB file and did not let go within
   * {@code --wait}. Nothing was attempted; try again when that run ends.
   */
  BUSY(4);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The process exit status. */
  public int code() {
    return code;
  }

  /** The code for a failure of the given fault. */
  public static ExitCode of(Fault fault) {
    return switch (fault) {
      case CONFIG -> USAGE;
      case DATA -> FILE_FAILED;
      case SYSTEM -> SYSTEM;
    };
  }

  /** The code for a run: its worst failure, or OK. */
  public static ExitCode of(RunReport report) {
    return report.worstFault().map(ExitCode::of).orElse(OK);
  }
}
