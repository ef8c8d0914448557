package io.bucketload.core.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the statements of a SQL text by its top-level semicolons: those outside quoted strings and
 * identifiers, comments and PostgreSQL's dollar-quoted bodies. A text ending with semicolons and
 * blank space is one statement. Enough to tell one query from several and to see how each begins;
 * not a SQL parser.
 */
public final class SqlStatements {
  private SqlStatements() {}

  /** The words that begin a statement controlling the transaction. */
  private static final Set<String> TRANSACTION_CONTROL =
      Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT");

  /** How many statements the text holds: 0 for blank text or comments only. */
  public static int count(String sql) {
    return starts(sql).size();
  }

  /**
   * The first word of the first statement that begins or ends a transaction ({@code BEGIN}, {@code
   * START TRANSACTION}, {@code COMMIT}, {@code END}, {@code ROLLBACK}, {@code ABORT}), in upper
   * case; empty when none does. Such a statement would commit or roll back a load's rows apart from
   * its ledger entry.
   */
  public static Optional<String> transactionControl(String sql) {
    for (int start : starts(sql)) {
      int end = start;
      while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
        end++;
      }
      String word = sql.substring(start, end).toUpperCase(Locale.ROOT);
      if (TRANSACTION_CONTROL.contains(word)) {
        return Optional.of(word);
      }
    }
    return Optional.empty();
  }

  /** The words that begin a statement that only reads, as {@code bucketload query} runs. */
  private static final Set<String> READING =
      Set.of(
          "SELECT",
          "WITH",
          "FROM",
          "VALUES",
          "TABLE",
          "DESCRIBE",
          "SHOW",
          "SUMMARIZE",
          "PIVOT",
          "UNPIVOT");

  /** The words that open the options of {@code EXPLAIN (...)} in PostgreSQL. */
  private static final Set<String> EXPLAIN_OPTIONS =
      Set.of(
          "ANALYZE",
          "VERBOSE",
          "COSTS",
          "SETTINGS",
          "GENERIC_PLAN",
          "BUFFERS",
          "WAL",
          "TIMING",
          "SUMMARY",
          "FORMAT");

  /**
   * The first word of the first statement, in upper case, when that statement is not a query:
   * anything but {@code SELECT}, {@code WITH}, {@code FROM}, {@code VALUES}, {@code TABLE}, {@code
   * DESCRIBE}, {@code SHOW}, {@code SUMMARIZE}, {@code PIVOT} and {@code UNPIVOT}, also after
   * {@code EXPLAIN [ANALYZE] [VERBOSE]} or {@code EXPLAIN (options)}, opening parentheses and
   * comments; empty for a query. A statement such as {@code COPY ... TO}, {@code EXPORT DATABASE}
   * or {@code ATTACH} writes outside the database, where no rollback undoes it. Only the first word
   * is judged: a query that changes data in a {@code WITH} (PostgreSQL's {@code DELETE ...
   * RETURNING} in a CTE) or creates a table ({@code SELECT ... INTO}) begins as a query.
   */
  public static Optional<String> notAQuery(String sql) {
    List<Integer> starts = starts(sql);
    if (starts.isEmpty()) {
      return Optional.empty();
    }
    int at = starts.get(0);
    boolean explained = false;
    while (true) {
      at = afterBlanks(sql, at, true);
      int end = wordEnd(sql, at);
      String word = sql.substring(at, end).toUpperCase(Locale.ROOT);
      if (word.equals("EXPLAIN")
          || (explained && (word.equals("ANALYZE") || word.equals("VERBOSE")))) {
        explained = true;
        at = afterOptions(sql, end);
        continue;
      }
      return READING.contains(word) ? Optional.empty() : Optional.of(word);
    }
  }

  /**
   * The index after {@code EXPLAIN}'s list of options in parentheses when one starts at {@code
   * from} (after blanks), else {@code from}: a parenthesis that opens a query is not skipped.
   */
  private static int afterOptions(String sql, int from) {
    int open = afterBlanks(sql, from, false);
    if (open >= sql.length() || sql.charAt(open) != '(') {
      return from;
    }
    int word = afterBlanks(sql, open + 1, false);
    int end = wordEnd(sql, word);
    if (!EXPLAIN_OPTIONS.contains(sql.substring(word, end).toUpperCase(Locale.ROOT))) {
      return from;
    }
    int depth = 0;
    for (int i = open; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i + 1;
      }
    }
    return sql.length();
  }

  /** The index after the word (letters and underscores) that starts at {@code from}. */
  private static int wordEnd(String sql, int from) {
    int end = from;
    while (end < sql.length() && (Character.isLetter(sql.charAt(end)) || sql.charAt(end) == '_')) {
      end++;
    }
    return end;
  }

  /**
   * The index of the first character from {@code from} on that is not whitespace, a comment, or
   * (when {@code parentheses}) an opening parenthesis.
   */
  private static int afterBlanks(String sql, int from, boolean parentheses) {
    int i = from;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || (parentheses && c == '(')) {
        i++;
      } else if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 2;
      } else {
        return i;
      }
    }
    return i;
  }

  /** Where each statement's text begins (its first character outside comments and blanks). */
  private static List<Integer> starts(String sql) {
    List<Integer> starts = new ArrayList<>();
    int start = -1;
    int i = 0;
    int length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      if (c == '-' && sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? length : end + 1;
        continue;
      }
      if (c == '/' && sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? length : end + 2;
        continue;
      }
      if (c == ';') {
        start = -1;
        i++;
        continue;
      }
      if (start < 0 && !Character.isWhitespace(c)) {
        start = i;
        starts.add(i);
      }
      if (c == '\'' || c == '"') {
        i = closing(sql, i + 1, c);
      } else if (c == '$' && dollarTag(sql, i) > 0) {
        String tag = sql.substring(i, i + dollarTag(sql, i));
        int end = sql.indexOf(tag, i + tag.length());
        i = end < 0 ? length : end + tag.length();
      } else {
        i++;
      }
    }
    return starts;
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
