package io.bucketload.core.error;

/** Whose fault a failure is. */
public enum Fault {
  /** The pipeline file or the command line is wrong; nothing was attempted. */
  CONFIG,
  /** The file's content is wrong (malformed CSV, missing column, too many rejects). */
  DATA,
  /** The environment failed: target unreachable, disk full, network, throttling. */
  SYSTEM
}
