package io.bucketload.jdbc.duckdb;

import io.bucketload.core.target.TargetColumn;

/** DuckDB's names for bucketload's column types. */
final class DuckDbTypes {
  private DuckDbTypes() {}

  static String sqlType(TargetColumn column) {
    return switch (column.type()) {
      case STRING -> "VARCHAR";
      case INT -> "INTEGER";
      case LONG -> "BIGINT";
      case DECIMAL -> "DECIMAL(" + column.precision() + "," + column.scale() + ")";
      case DOUBLE -> "DOUBLE";
      case BOOLEAN -> "BOOLEAN";
      case DATE -> "DATE";
      case TIMESTAMP -> "TIMESTAMP";
    };
  }
}
