package io.bucketload.jdbc.duckdb;

import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.jdbc.PreparedStatements;
import io.bucketload.jdbc.TableDefinitions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/** Creates a plan's table when missing, or checks that the existing one matches it. */
final class DuckDbTables {
  private DuckDbTables() {}

  /** A table as it is in the database: its name as stored and its columns in order. */
  record Table(String name, List<String> columns) {}

  /**
   * The plan's table, created when missing, else checked against the plan.
   *
   * @param statements the connection's kept statements, for the catalog's queries
   */
  static Table ensure(
      DuckDBConnection connection, PreparedStatements statements, String schema, LoadPlan plan)
      throws SQLException {
    Map<String, String> existing = new LinkedHashMap<>();
    String storedName = plan.table();
    synchronized (statements) {
      PreparedStatement query =
          statements.on(
              connection,
              "SELECT table_name, column_name, data_type FROM information_schema.columns"
                  + " WHERE table_schema = ? AND lower(table_name) = lower(?)"
                  + " ORDER BY ordinal_position");
      query.setString(1, schema);
      query.setString(2, plan.table());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          // lower() folds every letter; DuckDB's names differ in any but ASCII case ("ÉTÉ" and
          // "été" are two tables), so the rows of another table are left out.
          if (io.bucketload.core.schema.ColumnNames.same(rows.getString(1), plan.table())) {
            storedName = rows.getString(1);
            existing.put(rows.getString(2), rows.getString(3));
          }
        }
      }
    }
    if (existing.isEmpty()) {
      create(connection, schema, plan);
      return new Table(plan.table(), plan.columns().stream().map(TargetColumn::name).toList());
    }
    refuseView(connection, statements, schema, storedName);
    List<String> differences = new ArrayList<>();
    for (TargetColumn column : plan.columns()) {
      String expected = DuckDbTypes.sqlType(column);
      String actualName =
          existing.keySet().stream()
              .filter(name -> io.bucketload.core.schema.ColumnNames.same(name, column.name()))
              .findFirst()
              .orElse(null);
      if (actualName == null) {
        differences.add(
            "the table has no column '"
                + io.bucketload.core.schema.ColumnNames.shown(column.name())
                + "' ("
                + expected
                + ")");
      } else if (!existing.get(actualName).equalsIgnoreCase(expected)) {
        differences.add(
            "column '"
                + column.name()
                + "' is "
                + existing.get(actualName)
                + " in the table, the pipeline loads "
                + expected);
      }
    }
    if (!differences.isEmpty()) {
      throw TableDefinitions.mismatch(
          plan,
          "table "
              + schema
              + "."
              + storedName
              + " does not match the pipeline: "
              + TableDefinitions.listed(differences)
              + ".");
    }
    return new Table(storedName, new ArrayList<>(existing.keySet()));
  }

  /**
   * Refuses a view of the plan's name, as a configuration error in every mode: the appender and the
   * merge would each fail on it in their own words, one as a failure of the file's data.
   */
  private static void refuseView(
      DuckDBConnection connection, PreparedStatements statements, String schema, String name)
      throws SQLException {
    synchronized (statements) {
      PreparedStatement query =
          statements.on(
              connection,
              "SELECT table_type FROM information_schema.tables WHERE table_schema = ?"
                  + " AND table_name = ?");
      query.setString(1, schema);
      query.setString(2, name);
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next() && rows.getString(1).equalsIgnoreCase("VIEW")) {
          throw io.bucketload.core.error.TargetException.mismatch(
              schema
                  + "."
                  + name
                  + " is a view, not a table: bucketload loads into tables. Name a table in the"
                  + " pipeline's table, or a new name for bucketload to create.");
        }
      }
    }
  }

  private static void create(DuckDBConnection connection, String schema, LoadPlan plan)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(TableDefinitions.createTable(schema, plan, DuckDbTypes::sqlType, false));
    }
  }
}
