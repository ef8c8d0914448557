package io.bucketload.core.run;

/**
 * How a run treats its files.
 *
 * @param dryRun validate and write rejects, but load nothing and record nothing ({@code validate})
 * @param retryFailed try again the file versions that failed on their data under this same pipeline
 *     definition (by default such a failure is final until the file or the pipeline changes)
 */
public record RunOptions(boolean dryRun, boolean retryFailed) {
  /** A plain run: loads, and leaves files that failed on their data alone. */
  public static final RunOptions LOAD = new RunOptions(false, false);

  /** A dry run. */
  public static final RunOptions DRY_RUN = new RunOptions(true, false);
}
