package io.bucketload.core.spec;

import io.bucketload.core.target.LoadMode;
import io.bucketload.core.transform.TransformStep;
import java.util.List;
import java.util.Objects;

/**
 * A pipeline's {@code sql} transform step: a query over the validated rows of its inputs, each a
 * table of an embedded workspace named after its input ({@code input} for a pipeline without {@code
 * inputs}), whose result is what loads into the target.
 *
 * @param sql the query
 * @param after the row steps that follow the query in the {@code transform} list, applied to each
 *     row of its result
 * @param key the result's key ({@code schema.key}), naming columns after {@link #after}
 * @param table the target table the result loads into
 * @param mode the mode it loads with
 * @param workspace the workspace's settings ({@code memory_limit}, {@code threads}, {@code
 *     temp_directory})
 */
public record QuerySpec(
    SqlStep sql,
    List<TransformStep> after,
    List<String> key,
    String table,
    LoadMode mode,
    Settings workspace) {
  /** The workspace settings a {@code sql} step takes besides its query. */
  public static final java.util.Set<String> WORKSPACE_KEYS =
      java.util.Set.of("memory_limit", "threads", "temp_directory");

  /** The workspace table of the one input of a pipeline without {@code inputs}. */
  public static final String SINGLE_INPUT_TABLE = "input";

  /** Checks and copies the fields. */
  public QuerySpec {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(workspace, "workspace");
    after = List.copyOf(after);
    key = List.copyOf(key);
  }
}
