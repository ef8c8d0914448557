package io.bucketload.jdbc;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quotes SQL identifiers. Every table and column name reaches SQL through here: a name from a CSV
 * header such as {@code x"; DROP TABLE t; --} becomes one quoted identifier, never SQL.
 */
public final class SqlIdentifiers {
  private SqlIdentifiers() {}

  /**
   * Quotes a name as a standard SQL delimited identifier, doubling embedded quotes.
   *
   * @throws IllegalArgumentException when the name is empty or contains a NUL character
   */
  public static String quote(String name) {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "not a usable identifier: '" + name.replace("\0", "\\0") + "'");
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** Quotes each name and joins them with {@code ", "}. */
  public static String quoteAll(List<String> names) {
    return names.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
  }

  /** {@code schema.table}, both quoted. */
  public static String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  /** Text as a SQL string literal: in single quotes, each single quote doubled. */
  public static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
