package io.bucketload.core.workspace;

import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.SqlStep;
import io.bucketload.core.target.TargetColumn;
import java.util.List;
import java.util.Map;

/**
 * Opens workspaces; implementations are found with {@link java.util.ServiceLoader}. Thread-safe.
 */
public interface WorkspaceFactory {
  /**
   * Checks the {@code sql} step's settings without starting anything.
   *
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   */
  void check(Settings settings);

  /**
   * Opens an empty workspace.
   *
   * @param settings the {@code sql} step's {@code memory_limit}, {@code threads} and {@code
   *     temp_directory}
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   * @throws io.bucketload.core.error.TargetException when the engine cannot start
   */
  Workspace open(Settings settings);

  /**
   * The columns the query's result would have over empty tables of the given columns, without
   * running it on any row.
   *
   * @param query the query
   * @param tables each input's table name and columns
   * @throws io.bucketload.core.error.ConfigException when the workspace refuses the query
   */
  List<TargetColumn> describe(SqlStep query, Map<String, List<TargetColumn>> tables);
}
