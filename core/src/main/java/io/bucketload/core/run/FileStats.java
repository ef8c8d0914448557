package io.bucketload.core.run;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What reading one file measured, whatever its outcome.
 *
 * @param rowsRead data records read
 * @param rowsRejected records rejected
 * @param bytes bytes read (compressed bytes for gzip)
 * @param durationMs time spent on the file
 * @param rejectsPath where the rejects were written, if any were
 * @param rejectReasons the most frequent reasons rows were rejected, most rows first
 * @param rowsFiltered records a {@code filter} step left out (not rejects)
 */
public record FileStats(
    long rowsRead,
    long rowsRejected,
    long bytes,
    long durationMs,
    Optional<String> rejectsPath,
    List<RejectReason> rejectReasons,
    long rowsFiltered) {
  /** Checks and copies the fields. */
  public FileStats {
    Objects.requireNonNull(rejectsPath, "rejectsPath");
    rejectReasons = List.copyOf(rejectReasons);
  }

  /** Stats without reject reasons. */
  public FileStats(
      long rowsRead, long rowsRejected, long bytes, long durationMs, Optional<String> rejectsPath) {
    this(rowsRead, rowsRejected, bytes, durationMs, rejectsPath, List.of(), 0);
  }

  /** Stats of a file without filters. */
  public FileStats(
      long rowsRead,
      long rowsRejected,
      long bytes,
      long durationMs,
      Optional<String> rejectsPath,
      List<RejectReason> rejectReasons) {
    this(rowsRead, rowsRejected, bytes, durationMs, rejectsPath, rejectReasons, 0);
  }

  /** The stats of a file that was not read. */
  public static FileStats none(long durationMs) {
    return new FileStats(0, 0, 0, durationMs, Optional.empty());
  }
}
