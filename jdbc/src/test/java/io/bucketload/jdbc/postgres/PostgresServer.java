package io.bucketload.jdbc.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests, from the embedded binaries on the test classpath: started
 * once per JVM on a free loopback port, stopped at exit. Each test takes a fresh database.
 */
public final class PostgresServer {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private PostgresServer() {}

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server =
            EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off")
                .setServerConfig("max_connections", "50")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (IOException e) {
                      // The JVM is ending; the data folder is temporary.
                    }
                  }));
    }
    return server;
  }

  /** The server's port on 127.0.0.1. */
  public static int port() {
    return server().getPort();
  }

  /** Creates an empty database and returns its JDBC URL (user and password {@code postgres}). */
  public static String newDatabase() {
    String name = "test_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
    try (Connection admin = connect(url("postgres"));
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return url(name);
  }

  private static String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  /** A connection as the superuser, auto-committing. */
  public static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, "postgres", "postgres");
  }

  /** Runs a query and returns each row's columns joined by '|' (NULL as "null"). */
  public static List<String> query(String url, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = connect(url);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int width = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= width; i++) {
          if (i > 1) {
            row.append('|');
          }
          row.append(result.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  /** Runs statements, auto-committing. */
  public static void execute(String url, String sql) throws SQLException {
    try (Connection connection = connect(url);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
