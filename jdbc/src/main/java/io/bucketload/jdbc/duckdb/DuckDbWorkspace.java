package io.bucketload.jdbc.duckdb;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.error.DataException;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.scratch.ScratchFolder;
import io.bucketload.core.spec.SqlStep;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.core.workspace.QueryResult;
import io.bucketload.core.workspace.Workspace;
import io.bucketload.jdbc.PreparedStatements;
import io.bucketload.jdbc.SqlFailures;
import io.bucketload.jdbc.SqlIdentifiers;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * A workspace in an in-memory DuckDB database that spills to its own temporary folder beyond its
 * {@code memory_limit}; the folder is removed when it closes.
 */
final class DuckDbWorkspace implements Workspace {
  private static final String RESULT = "__bucketload_result";

  private final DuckDBConnection connection;
  private final Path spill;
  private final boolean singleThreadedAppends;

  /** The workspace connection's kept statements, for the checks of its tables. */
  private final PreparedStatements statements = new PreparedStatements();

  private DuckDbWorkspace(DuckDBConnection connection, Path spill, boolean singleThreadedAppends) {
    this.connection = connection;
    this.spill = spill;
    this.singleThreadedAppends = singleThreadedAppends;
  }

  /**
   * Opens an empty workspace.
   *
   * @param memoryLimit DuckDB's {@code memory_limit}
   * @param threads DuckDB's {@code threads}, if set
   * @param tempParent the folder under which its spill folder is made, if given (else the process's
   *     {@link ScratchFolder} in the system's temporary folder)
   */
  static DuckDbWorkspace open(
      String memoryLimit, java.util.Optional<String> threads, java.util.Optional<Path> tempParent) {
    Path spill;
    try {
      if (tempParent.isPresent()) {
        Files.createDirectories(tempParent.get());
        spill = Files.createTempDirectory(tempParent.get(), "bucketload-workspace-");
      } else {
        // In the process's scratch folder, which a later process removes if this one is killed.
        spill = ScratchFolder.ofProcess().newFolder("bucketload-workspace-");
      }
    } catch (IOException e) {
      throw TargetException.system(
          "cannot make the sql step's spill folder: " + e.getMessage(), e, false);
    }
    Properties properties = new Properties();
    properties.setProperty("memory_limit", memoryLimit);
    properties.setProperty("temp_directory", spill.toString());
    threads.ifPresent(value -> properties.setProperty("threads", value));
    properties.setProperty("jdbc_stream_results", "true");
    try {
      Connection raw = DriverManager.getConnection("jdbc:duckdb:", properties);
      try (Statement statement = raw.createStatement()) {
        // now(), and timestamps with a zone cast to timestamp, in UTC as everywhere in bucketload.
        statement.execute("SET TimeZone = 'UTC'");
      }
      return new DuckDbWorkspace(raw.unwrap(DuckDBConnection.class), spill, threads.isEmpty());
    } catch (SQLException e) {
      delete(spill);
      throw SqlFailures.of("opening the sql step's workspace", e);
    }
  }

  /** A statement on the workspace's connection, for the factory's checks. */
  Statement statement() throws SQLException {
    return connection.createStatement();
  }

  /**
   * {@inheritDoc} Without a {@code threads} setting, DuckDB runs on one thread while rows are
   * appended (its workers would compete with the parsing thread) and on every core for the query,
   * as the DuckDB target does.
   */
  @Override
  public TableLoad load(LoadPlan plan) {
    return plan.columns().isEmpty()
        ? TableLoad.none()
        : DuckDbTableLoad.begin(connection, statements, "main", plan, singleThreadedAppends, false);
  }

  @Override
  public QueryResult run(SqlStep query) {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.quote(RESULT));
      statement.execute(
          "CREATE TABLE " + SqlIdentifiers.quote(RESULT) + " AS\n" + selectOf(query) + "\n");
      List<WorkspaceColumns> columns = describe(statement, RESULT, query.origin());
      long rows;
      try (ResultSet count =
          statement.executeQuery("SELECT count(*) FROM " + SqlIdentifiers.quote(RESULT))) {
        count.next();
        rows = count.getLong(1);
      }
      return new Result(columns, rows);
    } catch (SQLException e) {
      throw failure(query, e);
    }
  }

  /** The query without the semicolons and blank space it may end with. */
  static String selectOf(SqlStep query) {
    String text = query.sql().strip();
    while (text.endsWith(";")) {
      text = text.substring(0, text.length() - 1).strip();
    }
    return text;
  }

  /** The columns of a table, mapped to bucketload's types. */
  static List<WorkspaceColumns> describe(Statement statement, String relation, String origin)
      throws SQLException {
    List<WorkspaceColumns> columns = new ArrayList<>();
    try (ResultSet described =
        statement.executeQuery("DESCRIBE " + SqlIdentifiers.quote(relation))) {
      while (described.next()) {
        columns.add(
            WorkspaceColumns.of(
                described.getString("column_name"), described.getString("column_type"), origin));
      }
    }
    return columns;
  }

  /**
   * What a failed query is: the pipeline's SQL when DuckDB refuses it (syntax, unknown names), the
   * data's when the rows make it fail, the system's otherwise.
   */
  static RuntimeException failure(SqlStep query, SQLException e) {
    String message = summary(String.valueOf(e.getMessage()));
    if (SqlFailures.isInvalidSql(e)) {
      return new ConfigException(
          query.origin() + ": the sql step's query is refused by the workspace: " + message, e);
    }
    if (SqlFailures.kind(e) == SqlFailures.Kind.REFUSED_DATA) {
      return new DataException(
          query.origin() + ": the sql step's query failed on the inputs' values: " + message);
    }
    return SqlFailures.of("running the sql step (" + query.origin() + ")", e);
  }

  /**
   * DuckDB's message on one line: the error and its hints (e.g. {@code Candidate bindings: ...}),
   * without the excerpt of the query that follows them.
   */
  static String summary(String message) {
    List<String> kept = new ArrayList<>();
    for (String line : message.split("\n")) {
      String text = line.strip();
      if (text.startsWith("LINE ")) {
        break;
      }
      if (!text.isEmpty()) {
        kept.add(text);
      }
    }
    return String.join("; ", kept);
  }

  /** A result kept in the workspace's result table. */
  private final class Result implements QueryResult {
    private final List<WorkspaceColumns> columns;
    private final long rows;

    Result(List<WorkspaceColumns> columns, long rows) {
      this.columns = List.copyOf(columns);
      this.rows = rows;
    }

    @Override
    public List<TargetColumn> columns() {
      return columns.stream().map(WorkspaceColumns::column).toList();
    }

    @Override
    public long rows() {
      return rows;
    }

    @Override
    public void read(int chunkRows, Consumer<RowChunk> consumer) {
      String select =
          "SELECT "
              + columns.stream().map(WorkspaceColumns::select).collect(Collectors.joining(", "))
              + " FROM "
              + SqlIdentifiers.quote(RESULT);
      ValueReader[] readers =
          columns.stream().map(column -> readerFor(column.column())).toArray(ValueReader[]::new);
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery(select)) {
        RowChunk chunk = new RowChunk(chunkRows);
        long line = 0;
        while (result.next()) {
          Object[] row = new Object[readers.length];
          for (int i = 0; i < readers.length; i++) {
            row[i] = readers[i].read(result, i + 1);
          }
          if (chunk.add(row, ++line)) {
            consumer.accept(chunk);
            chunk = new RowChunk(chunkRows);
          }
        }
        if (chunk.size() > 0) {
          consumer.accept(chunk);
        }
      } catch (SQLException e) {
        throw SqlFailures.of("reading the sql step's result", e);
      }
    }
  }

  /** Reads one value of a known type, or null. */
  @FunctionalInterface
  private interface ValueReader {
    Object read(ResultSet result, int column) throws SQLException;
  }

  private static ValueReader readerFor(TargetColumn column) {
    return switch (column.type()) {
      case STRING -> ResultSet::getString;
      case INT ->
          (result, i) -> {
            int value = result.getInt(i);
            return result.wasNull() ? null : value;
          };
      case LONG ->
          (result, i) -> {
            long value = result.getLong(i);
            return result.wasNull() ? null : value;
          };
      case DOUBLE ->
          (result, i) -> {
            double value = result.getDouble(i);
            return result.wasNull() ? null : value;
          };
      case BOOLEAN ->
          (result, i) -> {
            boolean value = result.getBoolean(i);
            return result.wasNull() ? null : value;
          };
      case DECIMAL ->
          (result, i) -> {
            BigDecimal value = result.getBigDecimal(i);
            return value == null ? null : value.setScale(column.scale(), RoundingMode.UNNECESSARY);
          };
      case DATE -> (result, i) -> result.getObject(i, LocalDate.class);
      case TIMESTAMP -> (result, i) -> result.getObject(i, LocalDateTime.class);
    };
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // An in-memory database: closing discards it whatever happens here.
    }
    delete(spill);
  }

  private static void delete(Path folder) {
    try {
      ScratchFolder.deleteTree(folder);
    } catch (IOException e) {
      // A spill folder left behind holds nothing a later run reads; in the scratch folder, it
      // goes with it.
    }
  }
}
