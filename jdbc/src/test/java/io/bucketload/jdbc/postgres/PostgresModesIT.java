package io.bucketload.jdbc.postgres;

import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.ModeContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The load modes' contract on a PostgreSQL server. */
class PostgresModesIT extends ModeContract {
  private final String url = PostgresServer.newDatabase();

  @Override
  protected String target(String table, LoadMode mode) {
    return "target:\n  type: postgres\n  url: "
        + url
        + "\n  user: postgres\n  password: ${PGPASSWORD}\n  table: "
        + table
        + "\n  mode: "
        + mode.configName()
        + "\n";
  }

  @Override
  protected PipelineSpec read(Path pipeline) {
    return PipelineSetup.check(
        new PipelineSpecReader(Map.of("PGPASSWORD", PgFixture.PASSWORD)::get).read(pipeline));
  }

  @Override
  protected List<String> rows(String table) throws Exception {
    return PostgresServer.query(url, "SELECT id, name FROM \"" + table + "\" ORDER BY id");
  }

  @Override
  protected boolean supports(LoadMode mode) {
    return mode != LoadMode.MERGE;
  }
}
