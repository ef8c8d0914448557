package io.bucketload.jdbc.duckdb;

import io.bucketload.core.spec.QuerySpec;
import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.SqlStep;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.core.workspace.Workspace;
import io.bucketload.core.workspace.WorkspaceFactory;
import io.bucketload.jdbc.SqlIdentifiers;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code sql} step's workspace in DuckDB. Settings: {@code memory_limit} (default {@value
 * DuckDbTargetFactory#DEFAULT_MEMORY_LIMIT}; DuckDB spills to disk beyond it), {@code threads}
 * (default: every core) and {@code temp_directory} (where the spill folder is made; default the
 * system's temporary folder).
 */
public final class DuckDbWorkspaceFactory implements WorkspaceFactory {
  /** Creates the factory (for {@link java.util.ServiceLoader}). */
  public DuckDbWorkspaceFactory() {}

  @Override
  public void check(Settings settings) {
    settings.allowOnly(QuerySpec.WORKSPACE_KEYS);
    String memoryLimit =
        settings.get("memory_limit").orElse(DuckDbTargetFactory.DEFAULT_MEMORY_LIMIT).trim();
    if (!DuckDbTargetFactory.MEMORY.matcher(memoryLimit).matches()) {
      throw settings.error(
          "memory_limit", "expected a size such as 512MB or 2GB, found '" + memoryLimit + "'");
    }
    settings.number("threads", 1, 1, 9999);
  }

  @Override
  public Workspace open(Settings settings) {
    check(settings);
    String memoryLimit =
        settings.get("memory_limit").orElse(DuckDbTargetFactory.DEFAULT_MEMORY_LIMIT).trim();
    return DuckDbWorkspace.open(
        memoryLimit,
        settings.get("threads"),
        settings.get("temp_directory").map(value -> settings.path("temp_directory", value)));
  }

  @Override
  public List<TargetColumn> describe(SqlStep query, Map<String, List<TargetColumn>> tables) {
    try (DuckDbWorkspace workspace =
            DuckDbWorkspace.open("64MB", Optional.of("1"), Optional.empty());
        Statement statement = workspace.statement()) {
      for (Map.Entry<String, List<TargetColumn>> table : tables.entrySet()) {
        statement.execute(
            "CREATE TABLE "
                + SqlIdentifiers.quote(table.getKey())
                + " ("
                + table.getValue().stream()
                    .map(
                        column ->
                            SqlIdentifiers.quote(column.name()) + " " + DuckDbTypes.sqlType(column))
                    .collect(Collectors.joining(", "))
                + ")");
      }
      // The query runs as it will on the files, over empty tables.
      return workspace.run(query).columns();
    } catch (SQLException e) {
      throw io.bucketload.jdbc.SqlFailures.of("checking the sql step (" + query.origin() + ")", e);
    }
  }
}
