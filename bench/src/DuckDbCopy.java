import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The reference: DuckDB's own COPY into the same typed table. Usage: DuckDbCopy DB FILE [TABLE
 * COLUMNS], where COLUMNS is the table's column definitions; without them the orders table of
 * bench/run.
 */
public final class DuckDbCopy {
  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0]);
        Statement statement = connection.createStatement()) {
      String table = args.length > 3 ? args[2] : "orders";
      statement.execute(
          args.length > 3
              ? "CREATE TABLE " + table + " (" + args[3] + ")"
              : "CREATE TABLE orders (order_id BIGINT NOT NULL, customer_id VARCHAR, status VARCHAR,"
                  + " amount DECIMAL(12,2), quantity INTEGER, ordered_at TIMESTAMP, shipped_on DATE,"
                  + " note VARCHAR)");
      statement.execute(
          "COPY " + table + " FROM '" + args[1].replace("'", "''") + "' (FORMAT csv, HEADER true, QUOTE '\"', ESCAPE '\"')");
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
        rows.next();
        System.out.println("duckdb COPY loaded " + rows.getLong(1) + " rows");
      }
    }
  }
}
