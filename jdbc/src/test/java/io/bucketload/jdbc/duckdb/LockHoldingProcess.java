package io.bucketload.jdbc.duckdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A process that is not bucketload and holds a DuckDB file, as the DuckDB shell or a notebook
 * would: opens the file given as its argument (trying again for up to 60 s while another process
 * has it open), prints {@code held}, and keeps it until its standard input ends.
 */
public final class LockHoldingProcess {
  private LockHoldingProcess() {}

  /**
   * Holds the file {@code args[0]}.
   *
   * @throws Exception when it cannot be opened within 60 s
   */
  public static void main(String[] args) throws Exception {
    try (Connection connection = open(args[0])) {
      connection.createStatement().execute("CREATE TABLE IF NOT EXISTS held (x INTEGER)");
      System.out.println("held");
      System.out.flush();
      while (System.in.read() >= 0) {
        // Until the test closes the pipe.
      }
    }
  }

  private static Connection open(String file) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return DriverManager.getConnection("jdbc:duckdb:" + file);
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
  }
}
