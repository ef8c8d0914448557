package io.bucketload.core.schema;

/**
 * How column names, and DuckDB table names, are compared wherever bucketload matches one to another
 * (a header's names to each other, a file's columns to a table's, a pipeline's table to DuckDB's):
 * ignoring the case of the ASCII letters only, as DuckDB compares identifiers and as PostgreSQL
 * folds unquoted ones in UTF-8. {@code ID} and {@code id} are one name; {@code sıra} (a dotless i)
 * and {@code sira}, or {@code É} and {@code é}, are two, as they are to the databases. One rule for
 * every check and every match, so that a name no check calls a duplicate is never matched to
 * another column.
 */
public final class ColumnNames {
  private ColumnNames() {}

  /** {@code name} with its ASCII capitals made small: equal for names that are the same. */
  public static String folded(String name) {
    StringBuilder folded = null;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (folded == null) {
          folded = new StringBuilder(name);
        }
        folded.setCharAt(i, (char) (c + ('a' - 'A')));
      }
    }
    return folded == null ? name : folded.toString();
  }

  /** Whether {@code a} and {@code b} name the same column. */
  public static boolean same(String a, String b) {
    return a.length() == b.length() && folded(a).equals(folded(b));
  }

  /**
   * Whether a character cannot be seen in a name: a format character (zero-width space and joiners,
   * a byte order mark left inside the text) or a space that is not U+0020 (no-break spaces).
   */
  static boolean invisible(char c) {
    return Character.getType(c) == Character.FORMAT
        || c == '\u00a0'
        || c == '\u2007'
        || c == '\u202f';
  }

  /**
   * The name as messages show it: each invisible character written as its code ({@code
   * na\u200Bme}), so that {@code 'b\u00A0'} does not read as {@code 'b '}.
   */
  public static String shown(String name) {
    StringBuilder text = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      text.append(invisible(c) ? String.format(java.util.Locale.ROOT, "\\u%04X", (int) c) : c);
    }
    return text.toString();
  }
}
