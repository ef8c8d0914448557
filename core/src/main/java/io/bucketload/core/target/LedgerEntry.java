package io.bucketload.core.target;

import io.bucketload.core.error.Fault;
import io.bucketload.core.source.FileVersion;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt to load a file version, as recorded in the ledger.
 *
 * @param pipeline the pipeline's name
 * @param runId the run
 * @param file the file version
 * @param status {@code LOADED} or {@code FAILED}
 * @param startedAt when the attempt started
 * @param finishedAt when it ended
 * @param rowsRead data records read
 * @param rowsRejected records rejected
 * @param counts what the load did ({@link LoadCounts#none()} when it failed)
 * @param error why it failed, if it did
 * @param fault whose fault the failure was, if it failed: a {@code DATA} failure is final for this
 *     version under this pipeline definition
 * @param definition the {@link io.bucketload.core.spec.PipelineSpec#digest() digest} of the
 *     pipeline definition the attempt ran under (empty in entries written before it was kept)
 * @param trigger what started the run ({@link io.bucketload.core.run.RunOptions#trigger()}, e.g.
 *     {@code bucketload run} or a schedule's due time); empty in entries written before it was kept
 */
public record LedgerEntry(
    String pipeline,
    String runId,
    FileVersion file,
    FileStatus status,
    Instant startedAt,
    Instant finishedAt,
    long rowsRead,
    long rowsRejected,
    LoadCounts counts,
    Optional<String> error,
    Optional<Fault> fault,
    String definition,
    String trigger) {
  /** Checks the fields. */
  public LedgerEntry {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(trigger, "trigger");
  }

  /** Whether this attempt loaded the file. */
  public boolean loaded() {
    return status == FileStatus.LOADED;
  }

  /** Whether this attempt failed on the file's data: final for its version and definition. */
  public boolean failedOnData() {
    return status == FileStatus.FAILED && fault.equals(Optional.of(Fault.DATA));
  }
}
