package io.bucketload.jdbc.postgres;

import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.target.TargetColumn;

/** PostgreSQL's names for bucketload's column types, as {@code format_type()} prints them. */
final class PostgresTypes {
  private PostgresTypes() {}

  static String sqlType(TargetColumn column) {
    return switch (column.type()) {
      case STRING -> "text";
      case INT -> "integer";
      case LONG -> "bigint";
      case DECIMAL -> "numeric(" + column.precision() + "," + column.scale() + ")";
      case DOUBLE -> "double precision";
      case BOOLEAN -> "boolean";
      case DATE -> "date";
      case TIMESTAMP -> "timestamp without time zone";
    };
  }

  /**
   * Whether an existing column of type {@code actual} takes the column's values as they are: the
   * same type, or for text a {@code character varying} (whose length limit the server enforces).
   */
  static boolean accepts(String actual, TargetColumn column) {
    if (actual.equals(sqlType(column))) {
      return true;
    }
    return column.type() == ColumnType.STRING
        && actual.startsWith("character varying")
        && !actual.endsWith("]");
  }
}
