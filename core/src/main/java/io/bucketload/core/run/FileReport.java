package io.bucketload.core.run;

import io.bucketload.core.error.Fault;
import io.bucketload.core.target.FileStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The outcome of one file.
 *
 * @param file the object's key
 * @param version the version's checksum or id, empty when it could not be identified
 * @param status loaded, skipped, failed, valid (dry run) or waiting (an incomplete file set, or
 *     another worker is loading it)
 * @param rowsRead data records read
 * @param rowsLoaded rows committed (0 unless loaded)
 * @param rowsRejected records rejected
 * @param inserted rows inserted, when the target can tell
 * @param updated rows updated, when the target can tell
 * @param unchanged rows already identical (or left untouched by {@code insert_new})
 * @param deleted rows deleted ({@code replace}, {@code sync})
 * @param rejectsPath where the rejects were written, if any
 * @param error why the file failed, or why it was skipped
 * @param fault whose fault the failure is, when failed
 * @param bytes bytes read
 * @param durationMs time spent on the file
 * @param warnings things the user should know that did not fail the file
 * @param exports the export files written after this file (or its file set) loaded
 */
public record FileReport(
    String file,
    Optional<String> version,
    FileStatus status,
    long rowsRead,
    long rowsLoaded,
    long rowsRejected,
    OptionalLong inserted,
    OptionalLong updated,
    OptionalLong unchanged,
    OptionalLong deleted,
    Optional<String> rejectsPath,
    Optional<String> error,
    Optional<Fault> fault,
    long bytes,
    long durationMs,
    List<String> warnings,
    List<String> exports) {
  /** Checks and copies the fields. */
  public FileReport {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(status, "status");
    warnings = List.copyOf(warnings);
    exports = List.copyOf(exports);
  }

  /** Rows per second over the file's duration, 0 when too short to tell. */
  public double rowsPerSecond() {
    return durationMs <= 0 ? 0 : rowsRead * 1000.0 / durationMs;
  }
}
