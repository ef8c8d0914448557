package io.bucketload.core.target;

import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.ColumnType;
import java.util.Objects;

/**
 * A column of the target table. Its name comes from the pipeline or a CSV header: targets must
 * quote it as an identifier, never splice it into SQL.
 *
 * @param name the column's name
 * @param type its type
 * @param precision a decimal's precision, else 0
 * @param scale a decimal's scale, else 0
 * @param nullable whether NULL is allowed
 */
public record TargetColumn(String name, ColumnType type, int precision, int scale, boolean nullable)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Checks the fields. */
  public TargetColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** The target column for a resolved pipeline column. */
  public static TargetColumn of(ColumnSpec column) {
    return new TargetColumn(
        column.name(), column.type(), column.precision(), column.scale(), !column.required());
  }
}
