package io.bucketload.jdbc;

import static io.bucketload.jdbc.SqlIdentifiers.quote;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.TargetColumn;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The {@code CREATE TABLE} statement for a plan's table, in a target's type names. */
public final class TableDefinitions {
  private TableDefinitions() {}

  /**
   * The failure of a table that exists but does not fit the plan: the pipeline's (configuration)
   * when its columns are declared, the file's (data) when its header defines them.
   *
   * @param plan the load plan
   * @param message what differs; what to do is added
   */
  public static TargetException mismatch(LoadPlan plan, String message) {
    return plan.columnsDeclared()
        ? TargetException.mismatch(
            message + " Change schema.columns to match, or load into another table.")
        : TargetException.data(
            message
                + " Without schema.columns the columns come from the file's header, and the table"
                + " has others: add the column to the table (bucketload never alters one), declare"
                + " schema.columns, or load into another table.",
            null);
  }

  /** The most differences a mismatch message lists; the rest are counted. */
  static final int LISTED_DIFFERENCES = 10;

  /**
   * The differences of a table from a plan, joined for a message: the first {@value
   * #LISTED_DIFFERENCES}, then how many more (a file of thousands of columns against another table
   * would otherwise make a message of thousands of lines).
   */
  public static String listed(java.util.List<String> differences) {
    if (differences.size() <= LISTED_DIFFERENCES) {
      return String.join("; ", differences);
    }
    return String.join("; ", differences.subList(0, LISTED_DIFFERENCES))
        + "; and "
        + (differences.size() - LISTED_DIFFERENCES)
        + " more";
  }

  /**
   * The statement: the plan's columns (NOT NULL where required, and on the key) and, where the
   * engine keeps it on disk, a primary key on its key.
   *
   * @param schema the table's schema
   * @param plan the load plan
   * @param sqlType the target's type name for each column
   * @param primaryKey whether to declare the key as the primary key: false for an engine whose key
   *     index must fit in memory (DuckDB's cannot spill; the merge keeps keys unique instead)
   */
  public static String createTable(
      String schema, LoadPlan plan, Function<TargetColumn, String> sqlType, boolean primaryKey) {
    String columns =
        plan.columns().stream()
            .map(
                column ->
                    quote(column.name())
                        + " "
                        + sqlType.apply(column)
                        + (column.nullable() && !plan.key().contains(column.name())
                            ? ""
                            : " NOT NULL"))
            .collect(Collectors.joining(", "));
    String key =
        plan.key().isEmpty() || !primaryKey
            ? ""
            : ", PRIMARY KEY (" + SqlIdentifiers.quoteAll(plan.key()) + ")";
    return "CREATE TABLE "
        + SqlIdentifiers.qualified(schema, plan.table())
        + " ("
        + columns
        + key
        + ")";
  }

  /**
   * Refuses the modes SQL targets do not have ({@code merge}, DynamoDB's), before any file is read,
   * naming the pipeline file and the line of {@code target.mode}.
   *
   * @param target the pipeline's target section
   * @param modes the modes of the target and of each input
   * @throws io.bucketload.core.error.ConfigException naming the mode and what to use instead
   */
  public static void checkModes(
      io.bucketload.core.spec.TargetSpec target,
      java.util.Set<io.bucketload.core.target.LoadMode> modes) {
    if (modes.contains(io.bucketload.core.target.LoadMode.MERGE)) {
      String refusal =
          "merge is DynamoDB's (UpdateItem with the file's attributes); on a SQL table use"
              + " upsert, which already updates only the file's columns and keeps the others";
      if (target.mode() == io.bucketload.core.target.LoadMode.MERGE) {
        throw target.settings().error("mode", refusal);
      }
      throw new io.bucketload.core.error.ConfigException(
          target.settings().fileName() + ": inputs[].mode: " + refusal);
    }
  }

  /** The longest name PostgreSQL keeps whole, in bytes (NAMEDATALEN - 1); it cuts longer ones. */
  public static final int POSTGRES_NAME_BYTES = 63;

  /**
   * Refuses a table or schema name the database would not keep as written, before any file is read:
   * a dot (one table literally named {@code sales.orders} rather than {@code orders} in schema
   * {@code sales}) and, where the database cuts names, one over {@code maxBytes}.
   *
   * @param target the pipeline's target
   * @param maxBytes the longest name the database keeps whole, in UTF-8 bytes
   * @throws io.bucketload.core.error.ConfigException naming the name and what to do
   */
  public static void checkNames(io.bucketload.core.spec.TargetSpec target, int maxBytes) {
    String where = target.settings().fileName() + " line " + target.line() + ": ";
    String table = target.table();
    if (table.contains(".")) {
      throw new io.bucketload.core.error.ConfigException(
          where
              + "target.table: '"
              + table
              + "' would be one table of that name, dot included; to load into a schema give it"
              + " apart: schema: "
              + table.substring(0, table.indexOf('.'))
              + ", table: "
              + table.substring(table.indexOf('.') + 1));
    }
    if (bytes(table) > maxBytes) {
      throw new io.bucketload.core.error.ConfigException(
          where
              + "target.table: '"
              + table
              + "' (target.table, else the pipeline's name) is "
              + bytes(table)
              + " bytes; the database keeps "
              + maxBytes
              + " bytes of a name: give a shorter target.table");
    }
    target
        .settings()
        .get("schema")
        .filter(schema -> bytes(schema) > maxBytes)
        .ifPresent(
            schema -> {
              throw target
                  .settings()
                  .error(
                      "schema",
                      "'"
                          + schema
                          + "' is "
                          + bytes(schema)
                          + " bytes; the database keeps "
                          + maxBytes
                          + " bytes of a name");
            });
  }

  /** The names of PostgreSQL's system columns, which no column of a table can have. */
  private static final java.util.Set<String> POSTGRES_SYSTEM_COLUMNS =
      java.util.Set.of("tableoid", "xmin", "cmin", "xmax", "cmax", "ctid");

  /**
   * Refuses a plan whose column names PostgreSQL would cut to {@link #POSTGRES_NAME_BYTES} (two
   * columns could become one, and the table would not match the next file) or that has the name of
   * one of its system columns ({@code xmin}, {@code ctid}, ...). A file fails on its data: the
   * names come from its header, or from the pipeline, whose change tries it again.
   *
   * @throws io.bucketload.core.error.DataException naming the column and what to do
   */
  public static void checkPostgresColumnNames(LoadPlan plan) {
    for (TargetColumn column : plan.columns()) {
      if (POSTGRES_SYSTEM_COLUMNS.contains(column.name())) {
        throw new io.bucketload.core.error.DataException(
            plan.file().key()
                + ": column '"
                + column.name()
                + "' has the name of a PostgreSQL system column, which no table column can have:"
                + " rename it (transform: [{rename: {"
                + column.name()
                + ": "
                + column.name()
                + "_}}])");
      }
      if (bytes(column.name()) > POSTGRES_NAME_BYTES) {
        throw new io.bucketload.core.error.DataException(
            plan.file().key()
                + ": column '"
                + column.name()
                + "' is "
                + bytes(column.name())
                + " bytes; the database keeps "
                + POSTGRES_NAME_BYTES
                + " bytes of a name: rename it (transform: [{rename: {...}}])");
      }
    }
  }

  private static int bytes(String name) {
    return name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
