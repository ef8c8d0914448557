package io.bucketload.jdbc.duckdb;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * A process that is not bucketload and holds a DuckDB file, as the DuckDB shell or a notebook
 * would: opens the file given as its argument, prints {@code held}, and keeps it until its standard
 * input ends.
 */
public final class LockHoldingProcess {
  private LockHoldingProcess() {}

  /**
   * Holds the file {@code args[0]}.
   *
   * @throws Exception when it cannot be opened
   */
  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
      connection.createStatement().execute("CREATE TABLE IF NOT EXISTS held (x INTEGER)");
      System.out.println("held");
      System.out.flush();
      while (System.in.read() >= 0) {
        // Until the test closes the pipe.
      }
    }
  }
}
