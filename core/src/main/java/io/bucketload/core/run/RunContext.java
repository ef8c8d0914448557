package io.bucketload.core.run;

import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.Source;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.Target;
import java.time.Clock;

/** What every part of one run shares: the pipeline, its ends, and the run's identity. */
record RunContext(
    PipelineSpec spec,
    Source source,
    OutputStore outputs,
    Target target,
    LoadListener listener,
    Clock clock,
    String runId,
    RunOptions options) {
  boolean dryRun() {
    return options.dryRun();
  }
}
