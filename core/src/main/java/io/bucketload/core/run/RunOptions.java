package io.bucketload.core.run;

/**
 * How a run treats its files.
 *
 * @param dryRun validate and write rejects, but load nothing and record nothing ({@code validate})
 * @param retryFailed try again the file versions that failed on their data under this same pipeline
 *     definition (by default such a failure is final until the file or the pipeline changes)
 * @param force load the files whatever the ledger says: a version that is the file's latest load
 *     loads again under the mode's rules, one that failed on its data is tried again; the report
 *     says the load was forced
 */
public record RunOptions(boolean dryRun, boolean retryFailed, boolean force) {
  /** A plain run: loads, and leaves files that failed on their data alone. */
  public static final RunOptions LOAD = new RunOptions(false, false, false);

  /** A dry run. */
  public static final RunOptions DRY_RUN = new RunOptions(true, false, false);
}
