package io.bucketload.core.run;

import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.Source;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.Target;
import java.time.Clock;

/**
 * What every part of one run shares: the pipeline, its ends, the run's identity, where the parts of
 * a file that can be cut are read, and the keys of the files the user named (empty when none).
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
    PartReading partReading,
    java.util.Set<String> namedKeys) {
  boolean dryRun() {
    return options.dryRun();
  }

  /**
   * Whether the file of {@code key} loads whatever the ledger says: with {@code --force}, a file
   * the user named, or every file when none was named. The other files of a named file's set are
   * not forced.
   */
  boolean forces(String key) {
    return options.force() && (namedKeys.isEmpty() || namedKeys.contains(key));
  }
}
