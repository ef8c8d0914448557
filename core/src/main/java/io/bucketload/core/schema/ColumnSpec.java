package io.bucketload.core.schema;

import java.util.Objects;
import java.util.Optional;

/**
 * A declared column.
 *
 * @param name the column's name in the file's header, never empty
 * @param type its type
 * @param format a date/timestamp pattern ({@code java.time} letters, e.g. {@code dd-MM-yyyy})
 * @param required whether an empty value is a reject
 * @param precision total digits of a decimal (1..38), 0 for other types
 * @param scale digits after the point of a decimal (0..precision), 0 for other types
 */
public record ColumnSpec(
    String name,
    ColumnType type,
    Optional<String> format,
    boolean required,
    int precision,
    int scale) {
  /** Default precision of {@code decimal} without arguments. */
  public static final int DEFAULT_PRECISION = 38;

  /** Default scale of {@code decimal} without arguments. */
  public static final int DEFAULT_SCALE = 9;

  /** Validates the column. */
  public ColumnSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(format, "format");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a column name cannot be empty");
    }
    if (type == ColumnType.DECIMAL
        && (precision < 1 || precision > 38 || scale < 0 || scale > precision)) {
      throw new IllegalArgumentException(
          "decimal needs 1 <= precision <= 38 and 0 <= scale <= precision");
    }
  }

  /** A text column, as used when no columns are declared. */
  public static ColumnSpec text(String name, boolean required) {
    return new ColumnSpec(name, ColumnType.STRING, Optional.empty(), required, 0, 0);
  }

  /** The type as written in a pipeline file, e.g. {@code decimal(12,2)}. */
  public String typeName() {
    return type == ColumnType.DECIMAL
        ? "decimal(" + precision + "," + scale + ")"
        : type.configName();
  }

  /** This column, required. */
  public ColumnSpec asRequired() {
    return new ColumnSpec(name, type, format, true, precision, scale);
  }

  /** This column under another name. */
  public ColumnSpec renamed(String newName) {
    return new ColumnSpec(newName, type, format, required, precision, scale);
  }
}
