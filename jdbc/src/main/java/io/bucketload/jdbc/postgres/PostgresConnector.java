package io.bucketload.jdbc.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens connections to one PostgreSQL server with a target's settings. Its properties hold the
 * password: they are never shown, and the URL it names is shown without its parameters.
 */
final class PostgresConnector {
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
    return DriverManager.getConnection(url, properties);
  }

  /** The URL without its parameters, which may hold credentials. */
  String where() {
    int question = url.indexOf('?');
    return question < 0 ? url : url.substring(0, question);
  }

  @Override
  public String toString() {
    return where();
  }
}
