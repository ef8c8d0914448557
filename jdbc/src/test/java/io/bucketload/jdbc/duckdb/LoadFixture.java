package io.bucketload.jdbc.duckdb;

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

/** A pipeline in a temporary folder: a landing folder, a pipeline file and a DuckDB file. */
final class LoadFixture {
  final Path dir;
  final Path landing;
  final Path database;

  LoadFixture(Path dir) throws IOException {
    this.dir = dir;
    this.landing = Files.createDirectories(dir.resolve("landing"));
    this.database = dir.resolve("test.duckdb");
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

  RunReport run(Path pipeline, String... files) throws IOException {
    PipelineSpec spec = new PipelineSpecReader().read(pipeline);
    try (Pipeline loads = Pipeline.open(spec, LoadListener.NONE)) {
      return loads.run(List.of(files), RunOptions.LOAD);
    }
  }

  RunReport validate(Path pipeline, String... files) throws IOException {
    PipelineSpec spec = new PipelineSpecReader().read(pipeline);
    try (Pipeline loads = Pipeline.dryRun(spec, LoadListener.NONE)) {
      return loads.run(List.of(files), RunOptions.DRY_RUN);
    }
  }

  /** Runs {@code statements} in the database file, as another client would before a load. */
  void execute(String... statements) throws SQLException {
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection("jdbc:duckdb:" + database);
        java.sql.Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** Runs a query and returns each row's columns joined by '|' (NULL as "null"). */
  List<String> query(String sql) throws SQLException {
    return DuckDbQueries.query(database, sql);
  }

  long count(String table) throws SQLException {
    return Long.parseLong(query("SELECT count(*) FROM " + table).get(0));
  }
}
