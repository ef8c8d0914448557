package io.bucketload.jdbc;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategies;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.spec.SqlStep;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs a pipeline's own SQL on a target connection: after-load statements and export queries. */
public final class SqlScripts {
  private SqlScripts() {}

  /**
   * Runs the step's statement(s) in the connection's current transaction.
   *
   * @throws ConfigException when the database rejects the SQL itself (syntax, unknown names)
   * @throws TargetException when it fails otherwise
   */
  public static void execute(Connection connection, SqlStep step) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(step.sql());
    } catch (SQLException e) {
      throw failure("after_load SQL (" + step.origin() + ")", e);
    }
  }

  /**
   * Runs a query in the connection's current transaction and writes its result as CSV (header row,
   * RFC 4180 quoting, {@code \n} line ends, NULL as an empty field and an empty text as {@code ""},
   * values as {@code text} makes them). Flushes {@code out} and leaves it open.
   *
   * @return the number of rows written
   * @throws ConfigException when the database rejects the SQL itself
   * @throws TargetException when the query fails otherwise
   * @throws UncheckedIOException when {@code out} fails
   */
  public static long export(
      Connection connection, SqlStep query, OutputStream out, ResultText text) {
    CsvWriter csv =
        CsvWriter.builder()
            .lineDelimiter(LineDelimiter.LF)
            .quoteStrategy(QuoteStrategies.EMPTY)
            .build(new NonClosingStream(out), StandardCharsets.UTF_8);
    int statements = io.bucketload.core.spec.SqlStatements.count(query.sql());
    if (statements > 1) {
      throw new ConfigException(
          query.origin()
              + ": the SQL holds "
              + statements
              + " statements; give one query (the others would run without showing their"
              + " results)");
    }
    try (Statement statement = connection.createStatement()) {
      if (!statement.execute(query.sql())) {
        throw new ConfigException(
            query.origin()
                + ": the SQL returns no rows; it must be one query, such as SELECT ... FROM ...");
      }
      return writeCsv(statement.getResultSet(), csv, text);
    } catch (SQLException e) {
      throw failure(
          query.origin().equals(SqlStep.COMMAND_LINE)
              ? "query"
              : "export query (" + query.origin() + ")",
          e);
    }
  }

  private static long writeCsv(ResultSet results, CsvWriter csv, ResultText text)
      throws SQLException {
    long rows = 0;
    try (ResultSet result = results) {
      ResultSetMetaData meta = result.getMetaData();
      ResultText.ColumnText[] columns = text.columns(meta);
      String[] record = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        record[i] = meta.getColumnLabel(i + 1);
      }
      csv.writeRecord(record);
      while (result.next()) {
        for (int i = 0; i < columns.length; i++) {
          record[i] = columns[i].read(result, i + 1);
        }
        csv.writeRecord(record);
        rows++;
      }
      csv.close();
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A configuration error for SQL the database could not parse or bind (SQLSTATE class 42, or
   * DuckDB's parser, catalog and binder errors), else the usual mapping.
   */
  private static RuntimeException failure(String what, SQLException e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    String said = what + ": " + (newline < 0 ? message : message.substring(0, newline));
    if (SqlFailures.isInvalidSql(e)) {
      return new ConfigException(said, e);
    }
    if (SqlFailures.kind(e) == SqlFailures.Kind.REFUSED_DATA) {
      // The pipeline's SQL met data it cannot handle (a division by zero, a constraint).
      return TargetException.data(said, e);
    }
    return SqlFailures.of(what, e);
  }

  /** Lets the CSV writer flush without closing the caller's stream. */
  private static final class NonClosingStream extends java.io.FilterOutputStream {
    NonClosingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
