package io.bucketload.core.run;

import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.Source;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.Target;
import java.time.Clock;

/**
 * What every part of one run shares: the pipeline, its ends, the run's identity, and where the
 * parts of a file that can be cut are read.
 */
record RunContext(
    PipelineSpec spec,
    Source source,
    OutputStore outputs,
    Target target,
    LoadListener listener,
    Clock clock,
    String runId,
    RunOptions options,
    PartReading partReading) {
  boolean dryRun() {
    return options.dryRun();
  }
}
