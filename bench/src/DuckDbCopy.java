import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** The reference: DuckDB's own COPY into the same typed table. Usage: DuckDbCopy DB FILE. */
public final class DuckDbCopy {
  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0]);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE orders (order_id BIGINT NOT NULL, customer_id VARCHAR, status VARCHAR,"
              + " amount DECIMAL(12,2), quantity INTEGER, ordered_at TIMESTAMP, shipped_on DATE,"
              + " note VARCHAR)");
      statement.execute(
          "COPY orders FROM '" + args[1].replace("'", "''") + "' (FORMAT csv, HEADER true, QUOTE '\"', ESCAPE '\"')");
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM orders")) {
        rows.next();
        System.out.println("duckdb COPY loaded " + rows.getLong(1) + " rows");
      }
    }
  }
}
