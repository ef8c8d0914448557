package io.bucketload.jdbc.duckdb;

import static io.bucketload.jdbc.SqlIdentifiers.quote;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.target.TargetColumn;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a column of a workspace query's result, typed by DuckDB, becomes a column of bucketload's
 * types: the column, and the expression that reads it as that type (a cast where DuckDB's type is
 * wider, such as {@code HUGEINT} read as {@code DECIMAL(38,0)} or {@code UUID} as text).
 *
 * @param column the column in bucketload's types (nullable: the query decides)
 * @param select the expression that reads it
 */
record WorkspaceColumns(TargetColumn column, String select) {
  private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");
  private static final Set<String> AS_INT =
      Set.of("TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT");
  private static final Set<String> AS_LONG = Set.of("BIGINT", "UINTEGER");
  private static final Set<String> AS_DECIMAL = Set.of("UBIGINT", "HUGEINT", "UHUGEINT");
  private static final Set<String> AS_TIMESTAMP =
      Set.of(
          "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE");
  private static final Set<String> AS_TEXT =
      Set.of("VARCHAR", "UUID", "TIME", "INTERVAL", "JSON", "TIME WITH TIME ZONE");

  /**
   * Maps one result column.
   *
   * @param name its name
   * @param duckDbType its type as DuckDB's {@code DESCRIBE} names it
   * @param origin where the query is written, for the message
   * @throws ConfigException for a type no target takes (lists, structs, maps, blobs)
   */
  static WorkspaceColumns of(String name, String duckDbType, String origin) {
    String type = duckDbType.toUpperCase(Locale.ROOT).trim();
    String column = quote(name);
    Matcher decimal = DECIMAL.matcher(type);
    if (decimal.matches()) {
      int precision = Integer.parseInt(decimal.group(1));
      int scale = Integer.parseInt(decimal.group(2));
      return new WorkspaceColumns(
          new TargetColumn(name, ColumnType.DECIMAL, precision, scale, true), column);
    }
    if (AS_INT.contains(type)) {
      return simple(name, ColumnType.INT, "CAST(" + column + " AS INTEGER)");
    }
    if (AS_LONG.contains(type)) {
      return simple(name, ColumnType.LONG, "CAST(" + column + " AS BIGINT)");
    }
    if (AS_DECIMAL.contains(type)) {
      return new WorkspaceColumns(
          new TargetColumn(name, ColumnType.DECIMAL, 38, 0, true),
          "CAST(" + column + " AS DECIMAL(38,0))");
    }
    if (type.equals("FLOAT") || type.equals("DOUBLE")) {
      return simple(name, ColumnType.DOUBLE, "CAST(" + column + " AS DOUBLE)");
    }
    if (type.equals("BOOLEAN")) {
      return simple(name, ColumnType.BOOLEAN, column);
    }
    if (type.equals("DATE")) {
      return simple(name, ColumnType.DATE, column);
    }
    if (AS_TIMESTAMP.contains(type)) {
      return simple(name, ColumnType.TIMESTAMP, "CAST(" + column + " AS TIMESTAMP)");
    }
    if (AS_TEXT.contains(type) || type.startsWith("ENUM(") || type.startsWith("VARCHAR")) {
      return simple(name, ColumnType.STRING, "CAST(" + column + " AS VARCHAR)");
    }
    throw new ConfigException(
        origin
            + ": column '"
            + name
            + "' of the sql step's result is of type "
            + duckDbType
            + ", which no target takes; cast it in the query (e.g. CAST("
            + name
            + " AS VARCHAR)) or leave it out");
  }

  private static WorkspaceColumns simple(String name, ColumnType type, String select) {
    return new WorkspaceColumns(new TargetColumn(name, type, 0, 0, true), select);
  }
}
