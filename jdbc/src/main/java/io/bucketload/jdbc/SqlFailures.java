package io.bucketload.jdbc;

import io.bucketload.core.error.TargetException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps SQL failures to target errors by their type, never by searching their text: refused data is
 * the data's fault, the rest is the system's, transient where retrying may help.
 *
 * <p>The type is the exception's class where the driver sets one ({@link SQLDataException}, {@link
 * SQLIntegrityConstraintViolationException}, {@link SQLTransientException}, {@link
 * SQLRecoverableException}), else DuckDB's error type, which heads its messages ({@code Constraint
 * Error: ...}, {@code Conversion Error: ...}, {@code IO Error: ...}; its driver's SQLStates are
 * guessed from the message's words), else the SQLState class (PostgreSQL: {@code 22} data
 * exception, {@code 23} integrity constraint, {@code 54000} and {@code 54011} a program limit (a
 * value too large for an index, too many columns), {@code 08} connection, {@code 40} transaction
 * rollback, {@code 53} insufficient resources, {@code 57P} operator intervention; DuckDB's
 * appender, whose messages carry no type, says {@code 23000} for a constraint).
 */
public final class SqlFailures {
  private static final Pattern DUCKDB_TYPE =
      Pattern.compile("^([A-Z][A-Za-z]*(?: [A-Za-z]+){0,2}) Error: ");

  /**
   * DuckDB's appender names no error type: a row a constraint refuses (a CHECK, NOT NULL, a foreign
   * or a unique key) fails as {@code Failed to append: CHECK constraint failed on table ...}.
   */
  private static final Pattern APPENDER_REFUSED =
      Pattern.compile("^Failed to append: .*(constraint|Duplicate key)", Pattern.CASE_INSENSITIVE);

  private static final Set<String> DUCKDB_DATA_TYPES =
      Set.of("Constraint", "Conversion", "Out of Range", "Invalid Input", "Mismatch Type");
  private static final Set<String> DUCKDB_TRANSIENT_TYPES =
      Set.of("IO", "Transaction", "Interrupt");

  private SqlFailures() {}

  /** How a failure is classified. */
  public enum Kind {
    /** The database refused the data (a constraint, a value it cannot store). */
    REFUSED_DATA,
    /** The system failed in a way a later attempt may not meet (connection, lock, conflict). */
    TRANSIENT,
    /** Any other failure of the system. */
    SYSTEM
  }

  /** Classifies a failure by its type. */
  public static Kind kind(SQLException e) {
    if (e instanceof SQLDataException || e instanceof SQLIntegrityConstraintViolationException) {
      return Kind.REFUSED_DATA;
    }
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return Kind.TRANSIENT;
    }
    // DuckDB's own error type first: its driver derives a SQLState from the message's words.
    Optional<String> engineType = duckDbErrorType(e);
    if (engineType.isPresent()) {
      if (DUCKDB_DATA_TYPES.contains(engineType.get())) {
        return Kind.REFUSED_DATA;
      }
      return DUCKDB_TRANSIENT_TYPES.contains(engineType.get()) ? Kind.TRANSIENT : Kind.SYSTEM;
    }
    if (APPENDER_REFUSED.matcher(String.valueOf(e.getMessage())).find()) {
      return Kind.REFUSED_DATA;
    }
    String state = e.getSQLState();
    if (state != null && state.length() >= 2) {
      String stateClass = state.substring(0, 2);
      return switch (stateClass) {
        case "22", "23" -> Kind.REFUSED_DATA;
        case "08", "40", "53", "55" -> Kind.TRANSIENT;
        // 54000, 54011: a value or a row over a program limit (a key too long for its index, too
        // many columns); the rest of class 54 comes from the SQL itself.
        default ->
            state.equals("54000") || state.equals("54011")
                ? Kind.REFUSED_DATA
                : state.startsWith("57P") ? Kind.TRANSIENT : Kind.SYSTEM;
      };
    }
    return Kind.SYSTEM;
  }

  /** DuckDB's error type, e.g. {@code Constraint} for {@code Constraint Error: ...}. */
  static Optional<String> duckDbErrorType(SQLException e) {
    Matcher matcher = DUCKDB_TYPE.matcher(String.valueOf(e.getMessage()));
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /**
   * The target error for a failed SQL operation.
   *
   * @param what what was being done, e.g. {@code loading into "customers"}
   * @param e the failure
   */
  public static TargetException of(String what, SQLException e) {
    String message = firstLine(String.valueOf(e.getMessage()));
    return switch (kind(e)) {
      case REFUSED_DATA ->
          TargetException.data(what + ": the database refused the rows: " + message, e);
      case TRANSIENT -> TargetException.system(what + ": " + message, e, true);
      case SYSTEM -> TargetException.system(what + ": " + message, e, false);
    };
  }

  /**
   * Whether the failure is the database refusing the SQL itself (SQLState class {@code 42}, or
   * DuckDB's parser, catalog and binder errors): a pipeline's SQL that is wrong.
   */
  public static boolean isInvalidSql(SQLException e) {
    Optional<String> engineType = duckDbErrorType(e);
    if (engineType.isPresent()) {
      return Set.of("Parser", "Catalog", "Binder").contains(engineType.get());
    }
    String state = e.getSQLState();
    return state != null && state.startsWith("42");
  }

  /**
   * Whether the failure is an integrity constraint violation (SQLState class {@code 23}, or
   * DuckDB's {@code Constraint Error}): where a statement's only constraint is a unique key, the
   * key was taken.
   */
  public static boolean isConstraintViolation(SQLException e) {
    Optional<String> engineType = duckDbErrorType(e);
    if (engineType.isPresent()) {
      return engineType.get().equals("Constraint");
    }
    String state = e.getSQLState();
    return state != null && state.startsWith("23");
  }

  /** The first line of a database message (DuckDB adds context lines after it). */
  public static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
