package io.bucketload.jdbc.postgres;

import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.target.TargetColumn;

/** PostgreSQL's names for bucketload's column types, as {@code format_type()} prints them. */
final class PostgresTypes {
  private static final String TIMESTAMP_WITH_TIME_ZONE = "timestamp with time zone";

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
   * same type; for text a {@code character varying} (whose length limit the server enforces); for a
   * timestamp, which bucketload holds in UTC, a {@code timestamp with time zone}.
   */
  static boolean accepts(String actual, TargetColumn column) {
    if (actual.equals(sqlType(column))) {
      return true;
    }
    return switch (column.type()) {
      case STRING -> actual.startsWith("character varying") && !actual.endsWith("]");
      case TIMESTAMP -> actual.equals(TIMESTAMP_WITH_TIME_ZONE);
      default -> false;
    };
  }

  /**
   * The column's type in a merge's staging table, given its type in the table: the pipeline's own
   * type, except a {@code timestamp with time zone}, which the staging table keeps too (a cast from
   * a timestamp without one would read it in the session's time zone, not in UTC).
   */
  static String stageType(TargetColumn column, String actual) {
    return column.type() == ColumnType.TIMESTAMP && actual.equals(TIMESTAMP_WITH_TIME_ZONE)
        ? actual
        : sqlType(column);
  }

  /**
   * What to declare for a column whose type in the table the pipeline's does not match: the
   * pipeline's type that loads into it, or that none does.
   */
  static String advice(String actual) {
    String type =
        switch (actual) {
          case "text" -> "string";
          case "integer" -> "int";
          case "bigint" -> "long";
          case "double precision" -> "double";
          case "boolean" -> "boolean";
          case "date" -> "date";
          case "timestamp without time zone", TIMESTAMP_WITH_TIME_ZONE -> "timestamp";
          default -> {
            if (actual.startsWith("character varying")) {
              yield "string";
            }
            yield actual.startsWith("numeric(") ? "decimal" + actual.substring(7) : null;
          }
        };
    return type == null
        ? " (no pipeline type loads into "
            + actual
            + ": load into a column of another type, or convert in after_load SQL)"
        : " (type " + type + " loads into it)";
  }
}
