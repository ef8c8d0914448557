package io.bucketload.core.target;

import java.util.Locale;

/** The outcome of one file in a run. */
public enum FileStatus {
  /** Rows committed. */
  LOADED,
  /** This version was already loaded: nothing done. */
  SKIPPED,
  /** Nothing committed; the report says why. */
  FAILED,
  /** A dry run found it loadable ({@code validate}). */
  VALID,
  /** A member of a file set whose other files have not arrived: left for a later run. */
  WAITING;

  /** The lower-case name used in reports. */
  public String reportName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
