package io.bucketload.jdbc.duckdb;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
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

  /**
   * Starts this class in a new JVM holding {@code file}; returns once it holds it. Closing the
   * process's standard input ends it.
   *
   * @throws Exception when it cannot be started or does not hold the file within 60 s
   */
  public static Process start(Path file) throws Exception {
    String classpath =
        String.join(
            File.pathSeparator,
            codeSource(LockHoldingProcess.class),
            codeSource(org.duckdb.DuckDBDriver.class));
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                LockHoldingProcess.class.getName(),
                file.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    String first;
    try {
      first =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return out.readLine();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  })
              .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      holder.destroyForcibly();
      throw e;
    }
    if (!"held".equals(first)) {
      holder.destroyForcibly();
      throw new IllegalStateException("the holder did not open " + file + ": " + first);
    }
    return holder;
  }

  private static String codeSource(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
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
