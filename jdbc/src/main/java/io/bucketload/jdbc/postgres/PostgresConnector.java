package io.bucketload.jdbc.postgres;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens connections to one PostgreSQL server with a target's settings. Its properties hold the
 * password: they are never shown, and the URL it names is shown without its parameters.
 */
final class PostgresConnector {
  /**
   * The PostgreSQL driver, asked directly: {@link java.sql.DriverManager} would first load and
   * start every driver on the class path, DuckDB's among them, whose start registers a Flight
   * Recorder event (about 60 ms of every command that connects).
   */
  private static final Driver DRIVER = new org.postgresql.Driver();

  private final String url;
  private final Properties properties;

  /**
   * @param url the JDBC URL
   * @param properties the driver's connection properties (user, password, TLS)
   */
  PostgresConnector(String url, Properties properties) {
    this.url = url;
    this.properties = new Properties();
    this.properties.putAll(properties);
  }

  /** A new connection, in auto-commit mode. */
  Connection open() throws SQLException {
    return connect(url, properties);
  }

  /**
   * A new connection to {@code url} with the driver's {@code properties}.
   *
   * @throws SQLException when the server refuses it, or the URL is not a PostgreSQL JDBC URL
   */
  static Connection connect(String url, Properties properties) throws SQLException {
    Connection connection = DRIVER.connect(url, properties);
    if (connection == null) {
      throw new SQLException(
          "not a PostgreSQL URL (jdbc:postgresql://HOST:5432/DATABASE): " + withoutParameters(url),
          "08001");
    }
    return connection;
  }

  /** The URL without its parameters, which may hold credentials. */
  String where() {
    return withoutParameters(url);
  }

  /**
   * Whether the driver reads {@code url} as a PostgreSQL URL: {@code jdbc:postgresql:} and what the
   * driver can parse after it (a port that is a number, say).
   */
  static boolean accepts(String url) {
    try {
      return DRIVER.acceptsURL(url);
    } catch (SQLException e) {
      return false;
    }
  }

  /** {@code url} without its parameters, which may hold credentials. */
  static String withoutParameters(String url) {
    int question = url.indexOf('?');
    return question < 0 ? url : url.substring(0, question);
  }

  @Override
  public String toString() {
    return where();
  }
}
