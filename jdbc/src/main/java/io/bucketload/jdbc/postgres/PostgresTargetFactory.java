package io.bucketload.jdbc.postgres;

import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.TargetSpec;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.StageWriter;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.TargetFactory;
import io.bucketload.jdbc.TableDefinitions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@code target.type: postgres}. Settings: {@code url} (a {@code jdbc:postgresql://} URL,
 * required), {@code user}, {@code password} (give them as {@code ${VAR}} from the environment),
 * {@code schema} (default {@code public}, created when missing), and the driver's TLS settings
 * passed through: {@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code sslkey}, {@code
 * sslpassword}; also {@code connect_timeout} (seconds, default 10) and {@code application_name}
 * (default {@code bucketload}). Needs PostgreSQL 12 or newer.
 */
public final class PostgresTargetFactory implements TargetFactory {
  /** The default schema. */
  public static final String DEFAULT_SCHEMA = "public";

  private static final List<String> SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /** Pipeline keys passed to the driver as connection properties, by the driver's name. */
  private static final Map<String, String> DRIVER_PROPERTIES =
      Map.of(
          "user", "user",
          "password", "password",
          "sslmode", "sslmode",
          "sslrootcert", "sslrootcert",
          "sslcert", "sslcert",
          "sslkey", "sslkey",
          "sslpassword", "sslpassword",
          "connect_timeout", "connectTimeout",
          "application_name", "ApplicationName");

  private static final Set<String> KEYS =
      Set.of(
          "url",
          "user",
          "password",
          "schema",
          "sslmode",
          "sslrootcert",
          "sslcert",
          "sslkey",
          "sslpassword",
          "connect_timeout",
          "application_name");

  @Override
  public String type() {
    return "postgres";
  }

  @Override
  public void check(TargetSpec target, Set<LoadMode> modes) {
    check(target.settings());
    TableDefinitions.checkModes(target, modes);
    TableDefinitions.checkNames(target, TableDefinitions.POSTGRES_NAME_BYTES);
  }

  private void check(Settings settings) {
    settings.allowOnly(KEYS);
    String url =
        settings
            .get("url")
            .orElseThrow(
                () ->
                    settings.error(
                        "url",
                        "missing: give the server as url: jdbc:postgresql://HOST:5432/DATABASE"));
    if (!PostgresConnector.accepts(url)) {
      throw settings.error(
          "url",
          "expected a URL such as jdbc:postgresql://HOST:5432/DATABASE, found '"
              + PostgresConnector.withoutParameters(url)
              + "'");
    }
    settings
        .get("sslmode")
        .filter(mode -> !SSL_MODES.contains(mode))
        .ifPresent(
            mode -> {
              throw settings.error(
                  "sslmode",
                  "unknown value '" + mode + "'; expected one of " + String.join(", ", SSL_MODES));
            });
    settings.number("connect_timeout", 10, 0, 9999);
    settings
        .get("schema")
        .filter(String::isBlank)
        .ifPresent(
            value -> {
              throw settings.error("schema", "cannot be empty");
            });
  }

  @Override
  public boolean runsSql() {
    return true;
  }

  /** {@inheritDoc} Each write connects with the target's settings, from wherever it runs. */
  @Override
  public Optional<StageWriter> stageWriter(Settings settings) {
    check(settings);
    return Optional.of(
        new PostgresStageWriter(
            new PostgresConnector(
                settings.get("url").orElseThrow(), connectionProperties(settings)),
            settings.get("schema").orElse(DEFAULT_SCHEMA)));
  }

  @Override
  public Target open(Settings settings) {
    check(settings);
    return PostgresTarget.open(
        settings.get("url").orElseThrow(),
        connectionProperties(settings),
        settings.get("schema").orElse(DEFAULT_SCHEMA));
  }

  /**
   * Whether the target's schema exists, for {@code provision --dry-run}: connects with the target's
   * settings and creates nothing.
   *
   * @throws io.bucketload.core.error.TargetException when the server cannot be reached
   */
  public boolean schemaExists(Settings settings) {
    check(settings);
    String url = settings.get("url").orElseThrow();
    String schema = settings.get("schema").orElse(DEFAULT_SCHEMA);
    try (java.sql.Connection connection =
            PostgresConnector.connect(url, connectionProperties(settings));
        java.sql.PreparedStatement query =
            connection.prepareStatement(
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
      query.setString(1, schema);
      try (java.sql.ResultSet found = query.executeQuery()) {
        return found.next();
      }
    } catch (java.sql.SQLException e) {
      throw io.bucketload.jdbc.SqlFailures.of("looking for schema " + schema, e);
    }
  }

  private static Properties connectionProperties(Settings settings) {
    Properties properties = new Properties();
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("ApplicationName", "bucketload");
    // The table's checks need PostgreSQL 12 or newer (generated columns, pg_partition_tree). Told
    // so, the driver sends its session settings (application_name, extra_float_digits) in the
    // connection's start-up message instead of two SET statements after it. A URL may say else.
    properties.setProperty("assumeMinServerVersion", "12");
    for (Map.Entry<String, String> entry : DRIVER_PROPERTIES.entrySet()) {
      settings
          .get(entry.getKey())
          .ifPresent(value -> properties.setProperty(entry.getValue(), value));
    }
    // connectTimeout bounds the TCP connection only: a server that accepts it and never answers
    // (hung, or a proxy in front of a stopped one) would hold the load forever. loginTimeout bounds
    // the whole start of the session, TLS and authentication included.
    properties.setProperty("loginTimeout", properties.getProperty("connectTimeout"));
    for (String path : List.of("sslrootcert", "sslcert", "sslkey")) {
      settings
          .get(path)
          .ifPresent(value -> properties.setProperty(path, settings.path(path, value).toString()));
    }
    return properties;
  }
}
