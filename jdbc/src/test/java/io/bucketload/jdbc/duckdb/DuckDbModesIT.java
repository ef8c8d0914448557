package io.bucketload.jdbc.duckdb;

import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.ModeContract;
import java.nio.file.Path;
import java.util.List;

/** The load modes' contract on an embedded DuckDB file. */
class DuckDbModesIT extends ModeContract {
  @Override
  protected String target(String table, LoadMode mode) {
    return "target: {type: duckdb, path: modes.duckdb, table: "
        + table
        + ", mode: "
        + mode.configName()
        + "}\n";
  }

  @Override
  protected PipelineSpec read(Path pipeline) {
    return PipelineSetup.read(pipeline);
  }

  @Override
  protected List<String> rows(String table) throws Exception {
    return DuckDbQueries.query(
        dir.resolve("modes.duckdb"), "SELECT id, name FROM \"" + table + "\" ORDER BY id");
  }

  @Override
  protected boolean supports(LoadMode mode) {
    return mode != LoadMode.MERGE;
  }
}
