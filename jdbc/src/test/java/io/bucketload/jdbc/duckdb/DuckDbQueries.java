package io.bucketload.jdbc.duckdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads a DuckDB file the way a user would check it, for assertions. */
public final class DuckDbQueries {
  private DuckDbQueries() {}

  /** Runs a query and returns each row's columns joined by '|' (NULL as "null"). */
  public static List<String> query(Path database, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? "|" : "").append(rows.getString(i));
        }
        out.add(row.toString());
      }
      return out;
    }
  }
}
