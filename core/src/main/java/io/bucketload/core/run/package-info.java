/**
 * Running a pipeline. {@link io.bucketload.core.run.Pipeline} opens a pipeline's source, output
 * store, target and notifiers once; each {@code run} goes through {@link
 * io.bucketload.core.run.PipelineRunner}, which loads each file version exactly once and all or
 * nothing, writes rejects, and returns a {@link io.bucketload.core.run.RunReport} of {@link
 * io.bucketload.core.run.FileReport}s, each with one {@link io.bucketload.core.run.FileOutcome}:
 * loaded, valid, skipped, waiting, failed on data, failed on system, or refused. Whether an outcome
 * is final decides what the ledger keeps and what a trigger does with its event. {@link
 * io.bucketload.core.run.LoadListener} observes progress.
 */
package io.bucketload.core.run;
