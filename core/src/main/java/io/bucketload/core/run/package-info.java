/**
 * Running a pipeline: {@link io.bucketload.core.run.PipelineRunner} loads each file exactly once
 * and all or nothing, writes rejects beside the source, and returns a {@link
 * io.bucketload.core.run.RunReport}; {@link io.bucketload.core.run.LoadListener} observes progress.
 */
package io.bucketload.core.run;
