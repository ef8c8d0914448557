package io.bucketload.core.spec;

/**
 * Counts the statements of a SQL text by its top-level semicolons: those outside quoted strings and
 * identifiers, comments and PostgreSQL's dollar-quoted bodies. A text ending with semicolons and
 * blank space is one statement. Enough to tell one query from several; not a SQL parser.
 */
public final class SqlStatements {
  private SqlStatements() {}

  /** How many statements the text holds: 0 for blank text or comments only. */
  public static int count(String sql) {
    int statements = 0;
    boolean content = false;
    int i = 0;
    int length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        i = closing(sql, i + 1, c);
        content = true;
      } else if (c == '-' && sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? length : end + 1;
      } else if (c == '/' && sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? length : end + 2;
      } else if (c == '$' && dollarTag(sql, i) > 0) {
        String tag = sql.substring(i, i + dollarTag(sql, i));
        int end = sql.indexOf(tag, i + tag.length());
        i = end < 0 ? length : end + tag.length();
        content = true;
      } else if (c == ';') {
        statements += content ? 1 : 0;
        content = false;
        i++;
      } else {
        content |= !Character.isWhitespace(c);
        i++;
      }
    }
    return statements + (content ? 1 : 0);
  }

  /** The index after the quote that closes one opened before {@code from}; a doubled one stays. */
  private static int closing(String sql, int from, char quote) {
    int i = from;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  /**
   * The length of a dollar-quote tag ({@code $$}, {@code $body$}) starting at {@code at}; else 0.
   */
  private static int dollarTag(String sql, int at) {
    int i = at + 1;
    while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    if (i < sql.length() && sql.charAt(i) == '$') {
      boolean startsWithDigit = i > at + 1 && Character.isDigit(sql.charAt(at + 1));
      return startsWithDigit ? 0 : i - at + 1;
    }
    return 0;
  }
}
