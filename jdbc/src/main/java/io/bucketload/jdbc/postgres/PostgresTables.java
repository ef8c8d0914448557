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
import java.util.HashMap;
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
   * @param stageTypes the type each of the plan's columns has in a merge's staging table: the
   *     pipeline's own, or the table's where the two share a binary form the table must keep
   *     ({@code timestamp with time zone})
   * @param partitioned whether the table is partitioned, whose rows have no {@code xmax} to tell an
   *     insert from an update
   * @param beforeRowTriggers whether a trigger runs before each row is written, which may change or
   *     skip it
   */
  record Table(
      String name,
      List<String> columns,
      List<String> definitions,
      List<String> stageTypes,
      boolean partitioned,
      boolean beforeRowTriggers) {}

  /** A relation of the schema whose name matches the table's, ignoring case. */
  private record Relation(String name, char kind) {
    boolean isTable() {
      return kind == 'r' || kind == 'p';
    }

    String kindName() {
      return switch (kind) {
        case 'v' -> "a view";
        case 'm' -> "a materialized view";
        case 'f' -> "a foreign table";
        case 'S' -> "a sequence";
        case 'i', 'I' -> "an index";
        case 'c' -> "a composite type";
        default -> "not a table";
      };
    }
  }

  static Table ensure(Connection connection, String schema, LoadPlan plan) throws SQLException {
    TableDefinitions.checkPostgresColumnNames(plan);
    Relation relation = relation(connection, schema, plan.table());
    if (relation == null) {
      // Two first loads at once: the second waits here until the first commits, then uses the
      // table the first created (CREATE TABLE IF NOT EXISTS alone is not safe when two race).
      PostgresLocks.lockUntilCommit(connection, "table " + schema + "." + plan.table());
      relation = relation(connection, schema, plan.table());
    }
    if (relation == null) {
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
              .toList(),
          plan.columns().stream().map(PostgresTypes::sqlType).toList(),
          false,
          false);
    }
    String storedName = relation.name();
    String qualified = schema + "." + storedName;
    if (!relation.isTable()) {
      throw TargetException.mismatch(
          qualified
              + " is "
              + relation.kindName()
              + ", not a table: bucketload loads into tables. Name a table in the pipeline's"
              + " table, or a new name for bucketload to create.");
    }
    Map<String, String> existing = new LinkedHashMap<>();
    Set<String> notNull = new HashSet<>();
    Set<String> generated = new HashSet<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                + " a.attgenerated <> '' OR a.attidentity = 'a' FROM pg_attribute a"
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
          if (rows.getBoolean(4)) {
            generated.add(rows.getString(1));
          }
        }
      }
    }
    List<String> differences = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> definitions = new ArrayList<>();
    List<String> stageTypes = new ArrayList<>();
    for (TargetColumn column : plan.columns()) {
      String actualName = find(existing.keySet(), column.name());
      List<String> sameButCase = sameButCase(existing.keySet(), column.name());
      if (!existing.containsKey(column.name()) && sameButCase.size() > 1) {
        differences.add(
            "column '"
                + io.bucketload.core.schema.ColumnNames.shown(column.name())
                + "' matches "
                + sameButCase.stream()
                    .map(SqlIdentifiers::quote)
                    .collect(java.util.stream.Collectors.joining(" and "))
                + ", which differ only in case: name one of them exactly");
      } else if (actualName == null) {
        differences.add(
            "the table has no column '"
                + io.bucketload.core.schema.ColumnNames.shown(column.name())
                + "' ("
                + PostgresTypes.sqlType(column)
                + ")");
      } else if (generated.contains(actualName)) {
        differences.add(
            "column '"
                + column.name()
                + "' is generated by the table (GENERATED ALWAYS), which takes no values for it");
      } else if (!PostgresTypes.accepts(existing.get(actualName), column)) {
        differences.add(
            "column '"
                + column.name()
                + "' is "
                + existing.get(actualName)
                + " in the table, the pipeline loads "
                + PostgresTypes.sqlType(column)
                + PostgresTypes.advice(existing.get(actualName)));
      }
      names.add(actualName);
      if (actualName != null) {
        definitions.add(
            existing.get(actualName) + (notNull.contains(actualName) ? " NOT NULL" : ""));
        stageTypes.add(PostgresTypes.stageType(column, existing.get(actualName)));
      }
    }
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
      String deferrable = uniqueKeys(connection, schema, storedName, false).get(key);
      if (deferrable != null) {
        throw TargetException.mismatch(
            "table "
                + qualified
                + ": its unique constraint on ("
                + String.join(", ", plan.key())
                + ") is DEFERRABLE, which INSERT ... ON CONFLICT cannot match rows by, as mode "
                + plan.mode().configName()
                + " does. Make it one that is not (ALTER TABLE "
                + SqlIdentifiers.qualified(schema, storedName)
                + " DROP CONSTRAINT "
                + SqlIdentifiers.quote(deferrable)
                + ", ADD CONSTRAINT "
                + SqlIdentifiers.quote(deferrable)
                + " UNIQUE ("
                + SqlIdentifiers.quoteAll(plan.key())
                + ")).");
      }
      if (!uniqueKeys(connection, schema, storedName, true).containsKey(key)) {
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
    return new Table(
        storedName,
        names,
        definitions,
        stageTypes,
        relation.kind() == 'p',
        hasBeforeRowTriggers(connection, schema, storedName));
  }

  /**
   * The relation the pipeline's table names: the one of exactly that name, else the only one
   * differing from it in case; null when there is none.
   *
   * @throws TargetException when two or more differ from it only in case, and none is exact
   */
  private static Relation relation(Connection connection, String schema, String table)
      throws SQLException {
    List<Relation> matches = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND lower(c.relname) = lower(?)"
                + " AND c.relkind NOT IN ('i', 'I', 't') ORDER BY c.relname")) {
      query.setString(1, schema);
      query.setString(2, table);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          Relation relation = new Relation(rows.getString(1), rows.getString(2).charAt(0));
          if (relation.name().equals(table)) {
            return relation;
          }
          matches.add(relation);
        }
      }
    }
    if (matches.size() > 1) {
      throw TargetException.mismatch(
          "table "
              + schema
              + "."
              + table
              + " matches "
              + matches.stream()
                  .map(match -> SqlIdentifiers.quote(match.name()))
                  .collect(java.util.stream.Collectors.joining(" and "))
              + ", which differ only in case: name one of them exactly in the pipeline's table.");
    }
    return matches.isEmpty() ? null : matches.get(0);
  }

  /**
   * Whether a user's trigger runs before each row is inserted or updated, on the table or on any of
   * its partitions (where a row lands).
   */
  private static boolean hasBeforeRowTriggers(Connection connection, String schema, String table)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_trigger g ON g.tgrelid = c.oid"
                + " OR g.tgrelid IN (SELECT relid FROM pg_partition_tree(c.oid))"
                + " WHERE n.nspname = ? AND c.relname = ? AND NOT g.tgisinternal"
                + " AND g.tgenabled <> 'D' AND (g.tgtype & 3) = 3 AND (g.tgtype & 20) <> 0)")) {
      query.setString(1, schema);
      query.setString(2, table);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  /** The names that differ from {@code name} in ASCII case only, or equal it, sorted. */
  private static List<String> sameButCase(Set<String> names, String name) {
    return names.stream()
        .filter(n -> io.bucketload.core.schema.ColumnNames.same(n, name))
        .sorted()
        .toList();
  }

  private static String find(Set<String> names, String name) {
    if (names.contains(name)) {
      return name;
    }
    List<String> matches = sameButCase(names, name);
    return matches.isEmpty() ? null : matches.get(0);
  }

  /**
   * The column sets of the table's primary key and unique constraints (without predicates or
   * expressions), each with the name of its constraint (or of its index, for a unique index alone).
   *
   * @param immediate the ones checked at once (usable by {@code ON CONFLICT}), else the deferrable
   *     ones
   */
  private static Map<Set<String>, String> uniqueKeys(
      Connection connection, String schema, String table, boolean immediate) throws SQLException {
    Map<Long, Set<String>> columnsOfIndex = new HashMap<>();
    Map<Long, String> nameOfIndex = new HashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT i.indexrelid, a.attname, coalesce(con.conname, ic.relname) FROM pg_index i"
                + " JOIN pg_class c ON c.oid = i.indrelid"
                + " JOIN pg_class ic ON ic.oid = i.indexrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                // The key's columns only, not those an index INCLUDEs.
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY((i.indkey::int2[])[0:i.indnkeyatts - 1])"
                + " LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid"
                + " AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u')"
                // An index on an expression (lower(name)) is unique on no set of columns.
                + " WHERE n.nspname = ? AND c.relname = ? AND i.indisunique AND i.indpred IS NULL"
                + " AND i.indexprs IS NULL AND i.indimmediate = ? ")) {
      query.setString(1, schema);
      query.setString(2, table);
      query.setBoolean(3, immediate);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          columnsOfIndex
              .computeIfAbsent(rows.getLong(1), index -> new HashSet<>())
              .add(rows.getString(2));
          nameOfIndex.put(rows.getLong(1), rows.getString(3));
        }
      }
    }
    Map<Set<String>, String> keys = new HashMap<>();
    columnsOfIndex.forEach((index, columns) -> keys.put(columns, nameOfIndex.get(index)));
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
