package io.bucketload.core.spec;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.schema.SchemaSpec;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.transform.TransformStep;
import java.util.List;
import java.util.Objects;

/**
 * One kind of file a pipeline loads, and the table it goes to. A plain pipeline has one input; a
 * file set declares several under {@code inputs}.
 *
 * @param name the input's name (the pipeline's name for a plain pipeline)
 * @param match which object keys belong to this input
 * @param format how the files are written
 * @param schema their columns and key
 * @param transforms transforms applied to each row, in order
 * @param table the table rows are loaded into
 * @param mode the load mode
 * @param rejects how many rejects a file may have and still load
 */
public record InputSpec(
    String name,
    NamePattern match,
    CsvDialect format,
    SchemaSpec schema,
    List<TransformStep> transforms,
    String table,
    LoadMode mode,
    RejectLimit rejects) {
  /** Checks and copies the fields. */
  public InputSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(rejects, "rejects");
    transforms = List.copyOf(transforms);
  }
}
