import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * The reference for the sql step: DuckDB reads both CSVs itself with the same column types, joins
 * them and creates the table from the join, within the same memory_limit. Usage: DuckDbJoin DB
 * ORDERS SHIPMENTS MEMORY_LIMIT.
 */
public final class DuckDbJoin {
  public static void main(String[] args) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("memory_limit", args[3]);
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0], properties);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE shipped AS"
              + " SELECT o.order_id, o.customer_id, o.amount, s.carrier, s.shipped_on, s.weight"
              + " FROM read_csv('" + args[1].replace("'", "''") + "', header = true, columns = {"
              + "'order_id': 'BIGINT', 'customer_id': 'VARCHAR', 'status': 'VARCHAR',"
              + " 'amount': 'DECIMAL(12,2)', 'quantity': 'INTEGER', 'ordered_at': 'TIMESTAMP',"
              + " 'shipped_on': 'DATE', 'note': 'VARCHAR'}) o"
              + " JOIN read_csv('" + args[2].replace("'", "''") + "', header = true, columns = {"
              + "'order_id': 'BIGINT', 'carrier': 'VARCHAR', 'shipped_on': 'DATE',"
              + " 'weight': 'DECIMAL(8,3)'}) s USING (order_id)");
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM shipped")) {
        rows.next();
        System.out.println("duckdb join loaded " + rows.getLong(1) + " rows");
      }
    }
  }
}
