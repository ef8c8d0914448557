package io.bucketload.core.target;

import io.bucketload.core.source.FileVersion;
import java.util.List;
import java.util.Objects;

/**
 * What one file's load will write.
 *
 * @param pipeline the pipeline's name
 * @param runId the run this load belongs to
 * @param file the file version being loaded
 * @param table the target table
 * @param mode the load mode
 * @param columns the rows' columns, in the order of each row's values
 * @param key the key's column names (empty when none)
 * @param columnsDeclared whether the columns come from the pipeline's {@code schema.columns} (else
 *     from the file's header): a table that does not fit them is then the pipeline's problem,
 *     otherwise the file's
 * @param supersedes the run whose load of this file this load supersedes ({@link
 *     VersionRecord#supersedes()}): a target records it with the load, and refuses a second load
 *     that supersedes the same run with {@link FileClaimedException}
 */
public record LoadPlan(
    String pipeline,
    String runId,
    FileVersion file,
    String table,
    LoadMode mode,
    List<TargetColumn> columns,
    List<String> key,
    boolean columnsDeclared,
    String supersedes) {
  /** Checks and copies the fields. */
  public LoadPlan {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(supersedes, "supersedes");
    columns = List.copyOf(columns);
    key = List.copyOf(key);
  }

  /**
   * Whether the rows merge with the table by key (every mode but {@code append}, and {@code
   * replace} without a key): then targets stage them and resolve repeated keys before merging.
   */
  public boolean mergesByKey() {
    return mode != LoadMode.APPEND && !(mode == LoadMode.REPLACE && key.isEmpty());
  }
}
