package io.bucketload.jdbc.postgres;

import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A pipeline in a temporary folder loading into a fresh database of the test server; the pipeline
 * reads the password from {@code ${PGPASSWORD}}.
 */
final class PgFixture {
  static final String PASSWORD = "postgres";

  final Path dir;
  final Path landing;
  final String url;

  PgFixture(Path dir) throws IOException {
    this.dir = dir;
    this.landing = Files.createDirectories(dir.resolve("landing"));
    this.url = PostgresServer.newDatabase();
  }

  /**
   * The target section for this database, with the given extra keys (e.g. {@code mode: upsert}).
   */
  String target(String extra) {
    return "target:\n  type: postgres\n  url: "
        + url
        + "\n  user: postgres\n  password: ${PGPASSWORD}\n"
        + extra.indent(2);
  }

  Path pipeline(String yaml) throws IOException {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  Path file(String name, String content) throws IOException {
    Path file = landing.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  PipelineSpec spec(Path pipeline) {
    return new PipelineSpecReader(Map.of("PGPASSWORD", PASSWORD)::get).read(pipeline);
  }

  RunReport run(Path pipeline, String... files) throws IOException {
    return run(pipeline, LoadListener.NONE, files);
  }

  RunReport run(Path pipeline, LoadListener listener, String... files) throws IOException {
    PipelineSpec spec = spec(pipeline);
    try (Pipeline loads = Pipeline.open(spec, listener)) {
      return loads.run(List.of(files), RunOptions.LOAD);
    }
  }

  List<String> query(String sql) throws SQLException {
    return PostgresServer.query(url, sql);
  }

  void execute(String sql) throws SQLException {
    PostgresServer.execute(url, sql);
  }

  long count(String table) throws SQLException {
    return Long.parseLong(query("SELECT count(*) FROM " + table).get(0));
  }
}
