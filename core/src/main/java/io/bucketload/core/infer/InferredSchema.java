package io.bucketload.core.infer;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.schema.ColumnSpec;
import java.util.List;

/**
 * What {@link SchemaInferrer} found.
 *
 * @param dialect the dialect the file was read with
 * @param columns the columns with their narrowest types
 * @param rows data records read
 * @param notes remarks for the user (ambiguous date formats, empty columns, ragged rows)
 */
public record InferredSchema(
    CsvDialect dialect, List<ColumnSpec> columns, long rows, List<String> notes) {
  /** Copies the lists. */
  public InferredSchema {
    columns = List.copyOf(columns);
    notes = List.copyOf(notes);
  }
}
