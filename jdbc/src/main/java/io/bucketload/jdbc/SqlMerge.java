package io.bucketload.jdbc;

import static io.bucketload.jdbc.SqlIdentifiers.quote;
import static io.bucketload.jdbc.SqlIdentifiers.quoteAll;

import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The one merge of the SQL targets: a file's rows, staged with what orders them as the file does
 * (their line numbers, or DuckDB's row ids when DuckDB's reader staged them), are reduced to the
 * last row of each key, then combined with the table as the mode says, with exact counts. Every
 * step is a join, an anti-join, a window or a set operation, which the engines spill to disk when
 * they outgrow memory; no step needs an index held in memory. What differs between engines is a
 * {@link Dialect}. Runs inside the load's transaction.
 *
 * <ol>
 *   <li>dedupe: when a key repeats ({@code GROUP BY key HAVING count(*) > 1}), {@code CREATE TABLE
 *       dedup AS SELECT ... FROM (SELECT ..., row_number() OVER (PARTITION BY key ORDER BY line
 *       DESC) AS n FROM stage) WHERE n = 1}; otherwise the staged rows are the deduplicated ones;
 *   <li>{@code replace}: delete every row, insert the deduplicated rows;
 *   <li>{@code insert_new}: insert the rows whose key the table lacks;
 *   <li>{@code upsert}, {@code sync}: update the rows whose values changed and insert the new ones
 *       (the dialect's way); {@code sync} then deletes the rows whose key the file lacks
 *       (anti-join), or, where the dialect says so, rebuilds the table from the file's rows after
 *       counting what changes;
 *   <li>{@code append} into a keyed table whose engine keeps no key index: refuse a key repeated in
 *       the file or already in the table, then insert every row.
 * </ol>
 */
public final class SqlMerge {
  /** The statements that differ between engines. */
  public interface Dialect {
    /** {@code CREATE [TEMPORARY] TABLE name} for a table that lives at most until the commit. */
    String createWorkTable(String name);

    /**
     * Updates the rows whose values changed and inserts the rows whose key is new.
     *
     * @return the rows inserted and updated, in that order
     */
    long[] upsert(Statement statement, Names names) throws SQLException;

    /** Inserts the rows whose key is new; returns how many. */
    long insertNew(Statement statement, Names names) throws SQLException;

    /**
     * Whether {@code sync} rebuilds the table from the deduplicated rows (the counts taken by
     * queries first, then every row deleted and the file's rows inserted) instead of updating and
     * deleting in place. Only for a table that holds nothing but the plan's columns.
     */
    default boolean syncByRebuild() {
      return false;
    }

    /**
     * Deletes the table's rows whose key the deduplicated rows lack ({@code sync}); returns how
     * many. By default one {@code DELETE ... WHERE NOT EXISTS}.
     */
    default long deleteAbsent(Statement statement, Names names) throws SQLException {
      return statement.executeUpdate(
          "DELETE FROM "
              + names.table()
              + " AS t WHERE NOT EXISTS (SELECT 1 FROM "
              + names.dedup()
              + " d WHERE "
              + names.keyMatch()
              + ")");
    }
  }

  /**
   * The names a merge works with.
   *
   * @param table the target table, qualified and quoted
   * @param stage the staged rows, qualified and quoted
   * @param dedup the deduplicated rows, qualified and quoted
   * @param line what orders the staged rows as the file does: the staging table's line column, or
   *     DuckDB's {@code rowid} pseudo-column, which numbers rows but not lines
   * @param stageColumns the staged columns, unquoted, in the plan's order
   * @param tableColumns the same columns as the table names them, in the same order
   * @param key the key's positions among the columns
   */
  public record Names(
      String table,
      String stage,
      String dedup,
      String line,
      List<String> stageColumns,
      List<String> tableColumns,
      List<Integer> key) {
    /** Checks and copies the fields. */
    public Names {
      Objects.requireNonNull(table, "table");
      stageColumns = List.copyOf(stageColumns);
      tableColumns = List.copyOf(tableColumns);
      key = List.copyOf(key);
      if (stageColumns.size() != tableColumns.size() || key.isEmpty()) {
        throw new IllegalArgumentException("columns must align and a key is required");
      }
    }

    /** The same names with {@code rows} as the deduplicated rows. */
    public Names withDedup(String rows) {
      return new Names(table, stage, rows, line, stageColumns, tableColumns, key);
    }

    /** The stage's key columns. */
    public List<String> stageKey() {
      return key.stream().map(stageColumns::get).toList();
    }

    /** The table's key columns. */
    public List<String> tableKey() {
      return key.stream().map(tableColumns::get).toList();
    }

    /** The table's value (non-key) columns. */
    public List<String> tableValues() {
      return IntStream.range(0, tableColumns.size())
          .filter(i -> !key.contains(i))
          .mapToObj(tableColumns::get)
          .toList();
    }

    /** The stage's value (non-key) columns. */
    public List<String> stageValues() {
      return IntStream.range(0, stageColumns.size())
          .filter(i -> !key.contains(i))
          .mapToObj(stageColumns::get)
          .toList();
    }

    /** {@code t.k1 = d.k1 AND ...}: a table row {@code t} and a deduplicated row {@code d}. */
    public String keyMatch() {
      List<String> parts = new ArrayList<>();
      for (int i : key) {
        parts.add("t." + quote(tableColumns.get(i)) + " = d." + quote(stageColumns.get(i)));
      }
      return String.join(" AND ", parts);
    }

    /** {@code t.v1 IS NOT DISTINCT FROM d.v1 AND ...} over the value (non-key) columns. */
    public String valuesUnchanged() {
      List<String> values = tableValues();
      List<String> stageValues = stageValues();
      return IntStream.range(0, values.size())
          .mapToObj(
              i ->
                  "t."
                      + quote(values.get(i))
                      + " IS NOT DISTINCT FROM d."
                      + quote(stageValues.get(i)))
          .collect(Collectors.joining(" AND "));
    }

    /** {@code INSERT INTO table (cols) SELECT cols FROM dedup d}. */
    public String insertAll() {
      return insertAll("");
    }

    /**
     * {@link #insertAll()} with the table aliased {@code t} (for PostgreSQL's {@code ON CONFLICT
     * ... WHERE t.x ...}).
     */
    public String insertAllAliased() {
      return insertAll(" AS t");
    }

    private String insertAll(String alias) {
      return "INSERT INTO "
          + table
          + alias
          + " ("
          + quoteAll(tableColumns)
          + ") SELECT "
          + stageColumns.stream().map(c -> "d." + quote(c)).collect(Collectors.joining(", "))
          + " FROM "
          + dedup
          + " d";
    }

    /** {@link #insertAll()} restricted to the keys the table lacks (an anti-join). */
    public String insertAbsent() {
      return insertAll()
          + " WHERE NOT EXISTS (SELECT 1 FROM "
          + table
          + " t WHERE "
          + keyMatch()
          + ")";
    }
  }

  private final Dialect dialect;

  /** A merge for an engine. */
  public SqlMerge(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Merges the staged rows into the table.
   *
   * @param statement a statement on the load's connection, inside its transaction
   * @param stagedRows the tables and columns
   * @param mode the load mode (one that merges by key)
   * @return what the merge did
   * @throws SQLException when a statement fails
   * @throws KeyCollision in {@code append}, when a key repeats or is already in the table
   */
  public LoadCounts merge(Statement statement, Names stagedRows, LoadMode mode)
      throws SQLException, KeyCollision {
    List<String> stageKey = stagedRows.stageKey();
    List<String> repeated = repeatedKey(statement, stagedRows);
    if (mode == LoadMode.APPEND && !repeated.isEmpty()) {
      throw firstRepeat(statement, stagedRows);
    }
    Names names = stagedRows;
    if (repeated.isEmpty()) {
      names = stagedRows.withDedup(stagedRows.stage());
    } else {
      keepLastRowOfEachKey(statement, stagedRows);
    }
    long distinct = single(statement, "SELECT count(*) FROM " + names.dedup());
    switch (mode) {
      case REPLACE -> {
        long deleted = statement.executeUpdate("DELETE FROM " + names.table());
        long inserted = statement.executeUpdate(names.insertAll());
        return LoadCounts.exact(distinct, inserted, 0, 0, deleted);
      }
      case INSERT_NEW -> {
        long inserted = dialect.insertNew(statement, names);
        return LoadCounts.exact(distinct, inserted, 0, distinct - inserted, 0);
      }
      case APPEND -> {
        List<String> taken =
            first(
                statement,
                "SELECT "
                    + stageKey.stream().map(c -> "d." + quote(c)).collect(Collectors.joining(", "))
                    + ", d."
                    + quote(names.line())
                    + " FROM "
                    + names.dedup()
                    + " d WHERE EXISTS (SELECT 1 FROM "
                    + names.table()
                    + " t WHERE "
                    + names.keyMatch()
                    + ") ORDER BY d."
                    + quote(names.line())
                    + " LIMIT 1");
        if (!taken.isEmpty()) {
          throw collision(taken, 1, KeyCollision.Where.TABLE);
        }
        long inserted = statement.executeUpdate(names.insertAll());
        return LoadCounts.exact(inserted, inserted, 0, 0, 0);
      }
      default -> {
        if (mode == LoadMode.SYNC && dialect.syncByRebuild()) {
          return rebuild(statement, names, distinct);
        }
        long[] changed = dialect.upsert(statement, names);
        if (changed[0] + changed[1] > distinct) {
          // More rows written than the file has keys: the table holds a key more than once (a
          // table without a unique key, filled by append), and every such row was updated.
          throw new KeyCollision(
              repeatedTableKey(statement, names), List.of(), KeyCollision.Where.TABLE_TWICE);
        }
        long deleted = mode == LoadMode.SYNC ? dialect.deleteAbsent(statement, names) : 0;
        return LoadCounts.exact(
            distinct, changed[0], changed[1], distinct - changed[0] - changed[1], deleted);
      }
    }
  }

  /**
   * Makes the work table {@link Names#dedup()} of the last row of each key: a window over the
   * staged rows, for a file in which a key repeats.
   */
  private void keepLastRowOfEachKey(Statement statement, Names names) throws SQLException {
    statement.execute(
        dialect.createWorkTable(names.dedup())
            + " AS SELECT "
            + quoteAll(names.stageColumns())
            + " FROM (SELECT "
            + quoteAll(names.stageColumns())
            + ", row_number() OVER (PARTITION BY "
            + quoteAll(names.stageKey())
            + " ORDER BY "
            + quote(names.line())
            + " DESC) AS __bucketload_n FROM "
            + names.stage()
            + ") s WHERE __bucketload_n = 1");
  }

  /** How many keys of the deduplicated rows the table does not hold. */
  public static long keysNotInTable(Statement statement, Names names) throws SQLException {
    return single(
        statement,
        "SELECT count(*) FROM "
            + names.dedup()
            + " d WHERE NOT EXISTS (SELECT 1 FROM "
            + names.table()
            + " t WHERE "
            + names.keyMatch()
            + ")");
  }

  /** {@code sync} as a rebuild: the counts by queries, then every row replaced by the file's. */
  private static LoadCounts rebuild(Statement statement, Names names, long distinct)
      throws SQLException {
    long deleted =
        single(
            statement,
            "SELECT count(*) FROM "
                + names.table()
                + " t WHERE NOT EXISTS (SELECT 1 FROM "
                + names.dedup()
                + " d WHERE "
                + names.keyMatch()
                + ")");
    long inserted = keysNotInTable(statement, names);
    long updated =
        names.tableValues().isEmpty()
            ? 0
            : single(
                statement,
                "SELECT count(*) FROM "
                    + names.table()
                    + " t JOIN "
                    + names.dedup()
                    + " d ON "
                    + names.keyMatch()
                    + " WHERE NOT ("
                    + names.valuesUnchanged()
                    + ")");
    statement.executeUpdate("DELETE FROM " + names.table());
    statement.executeUpdate(names.insertAll());
    return LoadCounts.exact(distinct, inserted, updated, distinct - inserted - updated, deleted);
  }

  /**
   * The standard upsert: {@code UPDATE ... FROM} the rows whose values differ, then the anti-join
   * insert. For engines without concurrent writers to the same table (DuckDB: one writer).
   */
  public static long[] updateThenInsert(Statement statement, Names names) throws SQLException {
    long updated = 0;
    List<String> values = names.tableValues();
    if (!values.isEmpty()) {
      List<String> stageValues = names.stageValues();
      String set =
          IntStream.range(0, values.size())
              .mapToObj(i -> quote(values.get(i)) + " = d." + quote(stageValues.get(i)))
              .collect(Collectors.joining(", "));
      String same = names.valuesUnchanged();
      updated =
          statement.executeUpdate(
              "UPDATE "
                  + names.table()
                  + " AS t SET "
                  + set
                  + " FROM "
                  + names.dedup()
                  + " d WHERE "
                  + names.keyMatch()
                  + " AND NOT ("
                  + same
                  + ")");
    }
    long inserted = statement.executeUpdate(names.insertAbsent());
    return new long[] {inserted, updated};
  }

  /**
   * The first row of the file whose key an earlier row has, with the lines of both: a window over
   * the staged rows, run only once a key is known to repeat.
   */
  private static KeyCollision firstRepeat(Statement statement, Names names) throws SQLException {
    String key = quoteAll(names.stageKey());
    String line = quote(names.line());
    List<String> found =
        first(
            statement,
            "SELECT "
                + key
                + ", __bucketload_earlier, "
                + line
                + " FROM (SELECT "
                + key
                + ", "
                + line
                + ", lag("
                + line
                + ") OVER (PARTITION BY "
                + key
                + " ORDER BY "
                + line
                + ") AS __bucketload_earlier FROM "
                + names.stage()
                + ") s WHERE __bucketload_earlier IS NOT NULL ORDER BY "
                + line
                + " LIMIT 1");
    return collision(found, 2, KeyCollision.Where.FILE);
  }

  /** The collision of a row found by a query: its key's values, then {@code lines} line numbers. */
  private static KeyCollision collision(List<String> found, int lines, KeyCollision.Where where) {
    int keyColumns = found.size() - lines;
    return new KeyCollision(
        found.subList(0, keyColumns),
        found.subList(keyColumns, found.size()).stream().map(Long::valueOf).toList(),
        where);
  }

  private static String repeatedKeyQuery(Names names) {
    return "SELECT "
        + quoteAll(names.stageKey())
        + " FROM "
        + names.stage()
        + " GROUP BY "
        + quoteAll(names.stageKey())
        + " HAVING count(*) > 1 ORDER BY min("
        + quote(names.line())
        + ") LIMIT 1";
  }

  /** A key of the file that the table holds in more than one row. */
  private static List<String> repeatedTableKey(Statement statement, Names names)
      throws SQLException {
    String key =
        names.tableKey().stream().map(c -> "t." + quote(c)).collect(Collectors.joining(", "));
    return first(
        statement,
        "SELECT "
            + key
            + " FROM "
            + names.table()
            + " t WHERE EXISTS (SELECT 1 FROM "
            + names.dedup()
            + " d WHERE "
            + names.keyMatch()
            + ") GROUP BY "
            + key
            + " HAVING count(*) > 1 LIMIT 1");
  }

  private static List<String> repeatedKey(Statement statement, Names names) throws SQLException {
    return first(statement, repeatedKeyQuery(names));
  }

  private static List<String> first(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      if (result.next()) {
        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
          Object value = result.getObject(i);
          // A key in a message reads as SQL writes it, not as java.sql.Timestamp (…05.0).
          values.add(
              value instanceof java.sql.Timestamp timestamp
                  ? ResultText.timestamp(timestamp.toLocalDateTime())
                  : value instanceof java.math.BigDecimal decimal
                      ? decimal.toPlainString()
                      : String.valueOf(value));
        }
      }
      return values;
    }
  }

  private static long single(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  /**
   * In {@code append}, a key repeated in the file or already in the table; in the modes that update
   * by key, a key the table holds in more than one row.
   */
  public static final class KeyCollision extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<String> key;
    private final transient List<Long> lines;
    private final Where where;

    /** Where the key is found more than once. */
    public enum Where {
      /** In the file, in {@code append}. */
      FILE,
      /** In the file and already in the table, in {@code append}. */
      TABLE,
      /** In more than one row of the table, in a mode that updates by key. */
      TABLE_TWICE
    }

    KeyCollision(List<String> key, List<Long> lines, Where where) {
      super("duplicate key (" + String.join(", ", key) + ")");
      this.key = List.copyOf(key);
      this.lines = List.copyOf(lines);
      this.where = where;
    }

    /** The key's values. */
    public List<String> key() {
      return key;
    }

    /**
     * The staged {@link Names#line()} values of the file's rows with the key (line numbers unless
     * the rows were staged by DuckDB's reader): for {@link Where#FILE} the earlier row's and the
     * repeating row's, for {@link Where#TABLE} the row's; none for {@link Where#TABLE_TWICE}.
     */
    public List<Long> lines() {
      return lines;
    }

    /** Where the key is found more than once. */
    public Where where() {
      return where;
    }
  }
}
