package io.bucketload.core.workspace;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.spec.InputSpec;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.QuerySpec;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.core.transform.RowShape;
import io.bucketload.core.transform.ShapeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the workspace engine, and checks a pipeline's {@code sql} step against it before anything
 * is read.
 */
public final class Workspaces {
  private Workspaces() {}

  /** Whether this package carries a workspace engine. */
  public static boolean available() {
    return ServiceLoader.load(WorkspaceFactory.class).findFirst().isPresent();
  }

  /**
   * The workspace engine.
   *
   * @throws ConfigException when this package carries none (a Lambda jar built without DuckDB)
   */
  public static WorkspaceFactory factory() {
    Optional<WorkspaceFactory> found = ServiceLoader.load(WorkspaceFactory.class).findFirst();
    return found.orElseThrow(
        () ->
            new ConfigException(
                "a sql step runs in an embedded DuckDB workspace, which this package does not"
                    + " carry; run it with the bucketload command line or the Lambda package with"
                    + " DuckDB (docs/aws.md, SQL steps on Lambda)"));
  }

  /**
   * Checks the pipeline's {@code sql} step: when every input declares its columns, the query is
   * described over empty tables of them (so that a query the workspace refuses is found before any
   * file is read) and the steps after it and {@code schema.key} are checked against its result.
   * Where an input takes its columns from its files' header, that happens when the files are read.
   *
   * @throws ConfigException naming the step and what is wrong
   */
  public static void check(PipelineSpec spec) {
    resultColumns(spec);
  }

  /**
   * The columns the pipeline's {@code sql} step loads (after the steps that follow it), when every
   * input declares its columns; empty without a {@code sql} step or when an input takes its columns
   * from its files' header.
   *
   * @throws ConfigException when the step is wrong, as {@link #check} says
   */
  public static Optional<List<TargetColumn>> resultColumns(PipelineSpec spec) {
    if (spec.query().isEmpty()) {
      return Optional.empty();
    }
    QuerySpec query = spec.query().get();
    WorkspaceFactory factory = factory();
    factory.check(query.workspace());
    Map<String, List<TargetColumn>> tables = new LinkedHashMap<>();
    for (InputSpec input : spec.inputs()) {
      if (!input.schema().declaresColumns()) {
        return Optional.empty();
      }
      try {
        tables.put(
            input.table(),
            RowShape.compile(input.schema().columns(), input.transforms(), List.of())
                .columns()
                .stream()
                .map(TargetColumn::of)
                .toList());
      } catch (ShapeException e) {
        throw new ConfigException(e.getMessage());
      }
    }
    return Optional.of(
        resultShape(query, factory.describe(query.sql(), tables)).columns().stream()
            .map(TargetColumn::of)
            .toList());
  }

  /**
   * The shape of the result's rows after the steps that follow the query, with the key checked.
   *
   * @param query the step
   * @param result the columns of its result
   * @throws ConfigException when a step or the key names a column the result does not have
   */
  public static RowShape resultShape(QuerySpec query, List<TargetColumn> result) {
    List<ColumnSpec> columns =
        result.stream()
            .map(
                column ->
                    new ColumnSpec(
                        column.name(),
                        column.type(),
                        Optional.empty(),
                        false,
                        column.precision(),
                        column.scale()))
            .toList();
    try {
      return RowShape.compile(columns, query.after(), query.key());
    } catch (ShapeException e) {
      String names = String.join(", ", result.stream().map(TargetColumn::name).toList());
      String message =
          e.missingKey()
              .map(
                  column ->
                      "schema.key: column '"
                          + column
                          + "' is not a column of the sql step's result ("
                          + names
                          + ") after the steps that follow it")
              .orElse(
                  "a transform step after the sql step: "
                      + e.getMessage()
                      + "; the query's result has "
                      + names);
      throw new ConfigException(query.sql().origin() + ": " + message);
    }
  }
}
