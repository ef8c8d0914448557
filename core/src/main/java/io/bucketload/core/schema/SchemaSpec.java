package io.bucketload.core.schema;

import java.util.List;
import java.util.Objects;

/**
 * The {@code schema} section of a pipeline.
 *
 * @param key the target's key columns (names after transforms); empty when there is none
 * @param columns declared columns; empty means every header column loads as text
 */
public record SchemaSpec(List<String> key, List<ColumnSpec> columns) {
  /** Copies the lists. */
  public SchemaSpec {
    key = List.copyOf(Objects.requireNonNull(key, "key"));
    columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
  }

  /** Whether columns are declared (otherwise every header column is text). */
  public boolean declaresColumns() {
    return !columns.isEmpty();
  }
}
