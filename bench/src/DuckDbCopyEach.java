import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reference of bench/run-small-files: DuckDB's own COPY of each CSV file of a folder, in name
 * order, into the orders table of bench/run, each file in a transaction of its own. Usage:
 * DuckDbCopyEach DB FOLDER
 */
public final class DuckDbCopyEach {
  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> listed = Files.list(Path.of(args[1]))) {
      files = listed.filter(file -> file.toString().endsWith(".csv")).sorted().toList();
    }
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0]);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE orders (order_id BIGINT NOT NULL, customer_id VARCHAR, status VARCHAR,"
              + " amount DECIMAL(12,2), quantity INTEGER, ordered_at TIMESTAMP, shipped_on DATE,"
              + " note VARCHAR)");
      connection.setAutoCommit(false);
      for (Path file : files) {
        statement.execute(
            "COPY orders FROM '"
                + file.toString().replace("'", "''")
                + "' (FORMAT csv, HEADER true, QUOTE '\"', ESCAPE '\"')");
        connection.commit();
      }
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM orders")) {
        rows.next();
        System.out.println(
            "duckdb COPY loaded " + rows.getLong(1) + " rows from " + files.size() + " files");
      }
    }
  }
}
