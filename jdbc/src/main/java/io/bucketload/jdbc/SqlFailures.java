package io.bucketload.jdbc;

import io.bucketload.core.error.TargetException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Maps SQL failures to target errors: refused data is the data's fault, the rest is the system's.
 */
public final class SqlFailures {
  private SqlFailures() {}

  /**
   * The target error for a failed SQL operation.
   *
   * @param what what was being done, e.g. {@code loading into "customers"}
   * @param e the failure
   */
  public static TargetException of(String what, SQLException e) {
    String message = String.valueOf(e.getMessage());
    String lower = message.toLowerCase(Locale.ROOT);
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (lower.contains("constraint error")
        || lower.contains("constraint violation")
        || lower.contains("constraint failed")
        || lower.startsWith("conversion error")
        || state.startsWith("23")
        || state.startsWith("22")) {
      return TargetException.data(
          what + ": the database refused the rows: " + firstLine(message), e);
    }
    boolean transientFailure =
        state.startsWith("08") || state.startsWith("40") || lower.contains("could not set lock");
    return TargetException.system(what + ": " + firstLine(message), e, transientFailure);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
