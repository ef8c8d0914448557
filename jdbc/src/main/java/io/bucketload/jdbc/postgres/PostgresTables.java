package io.bucketload.jdbc.postgres;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.jdbc.SqlIdentifiers;
import io.bucketload.jdbc.TableDefinitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates a plan's table when missing, or checks that the existing one takes the plan's columns
 * (and, for the modes that merge by key, has a primary key or unique constraint on the key).
 */
final class PostgresTables {
  private PostgresTables() {}

  /**
   * A table as it is in the database.
   *
   * @param name its name as stored
   * @param columns the stored name of each of the plan's columns, in the plan's order
   * @param definitions the type of each of the plan's columns in the table ({@code character
   *     varying(10)}, say), followed by {@code NOT NULL} where the table refuses NULL: a stage's
   *     columns, so that a value the table would refuse is refused by the stage's {@code COPY},
   *     which names its line
   */
  record Table(String name, List<String> columns, List<String> definitions) {}

  static Table ensure(Connection connection, String schema, LoadPlan plan) throws SQLException {
    TableDefinitions.checkColumnNames(plan, TableDefinitions.POSTGRES_NAME_BYTES);
    String storedName = storedName(connection, schema, plan.table());
    if (storedName == null) {
      // Two first loads at once: the second waits here until the first commits, then uses the
      // table the first created (CREATE TABLE IF NOT EXISTS alone is not safe when two race).
      PostgresLocks.lockUntilCommit(connection, "table " + schema + "." + plan.table());
      storedName = storedName(connection, schema, plan.table());
    }
    if (storedName == null) {
      create(connection, schema, plan);
      return new Table(
          plan.table(),
          plan.columns().stream().map(TargetColumn::name).toList(),
          plan.columns().stream()
              .map(
                  column ->
                      PostgresTypes.sqlType(column)
                          + (column.nullable() && !plan.key().contains(column.name())
                              ? ""
                              : " NOT NULL"))
              .toList());
    }
    Map<String, String> existing = new LinkedHashMap<>();
    Set<String> notNull = new HashSet<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_attribute a"
                + " JOIN pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attnum")) {
      query.setString(1, schema);
      query.setString(2, storedName);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          existing.put(rows.getString(1), rows.getString(2));
          if (rows.getBoolean(3)) {
            notNull.add(rows.getString(1));
          }
        }
      }
    }
    List<String> differences = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> definitions = new ArrayList<>();
    for (TargetColumn column : plan.columns()) {
      String actualName = find(existing.keySet(), column.name());
      if (actualName == null) {
        differences.add(
            "the table has no column '"
                + column.name()
                + "' ("
                + PostgresTypes.sqlType(column)
                + ")");
      } else if (!PostgresTypes.accepts(existing.get(actualName), column)) {
        differences.add(
            "column '"
                + column.name()
                + "' is "
                + existing.get(actualName)
                + " in the table, the pipeline loads "
                + PostgresTypes.sqlType(column));
      }
      names.add(actualName);
      if (actualName != null) {
        definitions.add(
            existing.get(actualName) + (notNull.contains(actualName) ? " NOT NULL" : ""));
      }
    }
    String qualified = schema + "." + storedName;
    if (!differences.isEmpty()) {
      throw TableDefinitions.mismatch(
          plan,
          "table "
              + qualified
              + " does not match the pipeline: "
              + TableDefinitions.listed(differences)
              + ".");
    }
    if (!plan.key().isEmpty() && plan.mode().needsKey()) {
      Set<String> key = new HashSet<>();
      plan.key().forEach(column -> key.add(find(existing.keySet(), column)));
      if (!uniqueKeys(connection, schema, storedName).contains(key)) {
        throw TargetException.mismatch(
            "table "
                + qualified
                + " has no primary key or unique constraint on ("
                + String.join(", ", plan.key())
                + "), which mode "
                + plan.mode().configName()
                + " needs to match rows by key. Add one, e.g. ALTER TABLE "
                + SqlIdentifiers.qualified(schema, storedName)
                + " ADD PRIMARY KEY ("
                + SqlIdentifiers.quoteAll(plan.key())
                + ").");
      }
    }
    return new Table(storedName, names, definitions);
  }

  /** The table's name as stored: an exact match first, else one differing only in case. */
  private static String storedName(Connection connection, String schema, String table)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND lower(c.relname) = lower(?)"
                + " AND c.relkind IN ('r', 'p') ORDER BY c.relname = ? DESC, c.relname")) {
      query.setString(1, schema);
      query.setString(2, table);
      query.setString(3, table);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  private static String find(Set<String> names, String name) {
    if (names.contains(name)) {
      return name;
    }
    return names.stream().filter(n -> n.equalsIgnoreCase(name)).findFirst().orElse(null);
  }

  /** The column sets of the table's primary key and unique constraints (without predicates). */
  private static List<Set<String>> uniqueKeys(Connection connection, String schema, String table)
      throws SQLException {
    List<Set<String>> keys = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT i.indexrelid, a.attname FROM pg_index i"
                + " JOIN pg_class c ON c.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                + " WHERE n.nspname = ? AND c.relname = ? AND i.indisunique AND i.indpred IS NULL"
                + " ORDER BY i.indexrelid")) {
      query.setString(1, schema);
      query.setString(2, table);
      try (ResultSet rows = query.executeQuery()) {
        long current = -1;
        Set<String> columns = null;
        while (rows.next()) {
          if (rows.getLong(1) != current) {
            current = rows.getLong(1);
            columns = new HashSet<>();
            keys.add(columns);
          }
          columns.add(rows.getString(2));
        }
      }
    }
    return keys;
  }

  /** Creates the table. A failure is the system's, never the file's. */
  private static void create(Connection connection, String schema, LoadPlan plan) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(TableDefinitions.createTable(schema, plan, PostgresTypes::sqlType, true));
    } catch (SQLException e) {
      throw TargetException.system(
          "creating table "
              + schema
              + "."
              + plan.table()
              + ": "
              + e.getMessage().lines().findFirst().orElse(""),
          e,
          true);
    }
  }
}
