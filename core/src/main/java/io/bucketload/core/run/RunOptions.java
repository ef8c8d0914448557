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
 * @param trigger what started the run, for reports and notifications (e.g. {@code schedule rate(1
 *     day) at 2026-12-01T06:00:00Z}); {@link #BY_HAND} for a command
 */
public record RunOptions(boolean dryRun, boolean retryFailed, boolean force, String trigger) {
  /** The trigger of a run started by a command. */
  public static final String BY_HAND = "bucketload run";

  /** A plain run: loads, and leaves files that failed on their data alone. */
  public static final RunOptions LOAD = new RunOptions(false, false, false);

  /** A dry run. */
  public static final RunOptions DRY_RUN = new RunOptions(true, false, false);

  /** Checks the fields. */
  public RunOptions {
    java.util.Objects.requireNonNull(trigger, "trigger");
  }

  /** Options of a run started by a command. */
  public RunOptions(boolean dryRun, boolean retryFailed, boolean force) {
    this(dryRun, retryFailed, force, BY_HAND);
  }

  /** The same options for a run that {@code trigger} started. */
  public RunOptions startedBy(String trigger) {
    return new RunOptions(dryRun, retryFailed, force, trigger);
  }
}
