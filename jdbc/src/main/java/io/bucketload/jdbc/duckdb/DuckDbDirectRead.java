package io.bucketload.jdbc.duckdb;

import static io.bucketload.jdbc.SqlIdentifiers.literal;
import static io.bucketload.jdbc.SqlIdentifiers.quote;

import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.target.DirectRead;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.jdbc.SqlIdentifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statement that has DuckDB read a file itself ({@code read_csv}, in parallel, with the table's
 * types) into a table, in place of the appender: 0.96 s against 1.65 s for a whole run of 1,000,000
 * rows of 8 columns (measured, {@code docs/performance.md}). bucketload checks beside it that every
 * value is in the plain form both readers read alike ({@link io.bucketload.core.csv.PlainValues});
 * what is left to DuckDB's strict reader is to refuse a plain value that is not valid (a 30th of
 * February, an int out of range) and a record over the limit, as bucketload's reader does.
 */
final class DuckDbDirectRead {
  private DuckDbDirectRead() {}

  /**
   * The {@code INSERT ... SELECT ... FROM read_csv(...)} of {@code read} into {@code table}, or
   * empty when a column is a {@code double}, which has no plain form.
   *
   * @param recordNumber the column of {@code table} that takes each record's number in the file (1
   *     for the first), or empty to number nothing. A staging table's records are numbered only
   *     when a loaded column named {@code rowid} hides the row ids that otherwise keep their order
   *     (the last record of a key wins). DuckDB's reader keeps the file's order, and {@code
   *     row_number() OVER ()} numbers the rows in that order (both documented in DuckDB's "Order
   *     Preservation").
   */
  static Optional<String> insert(
      String schema,
      String table,
      List<TargetColumn> columns,
      DirectRead read,
      Optional<String> recordNumber) {
    String[] types = new String[read.fieldCount()];
    java.util.Arrays.fill(types, "VARCHAR");
    List<String> values = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      TargetColumn column = columns.get(i);
      if (column.type() == ColumnType.DOUBLE) {
        return Optional.empty();
      }
      types[read.fields().get(i)] = DuckDbTypes.sqlType(column);
      values.add("f" + read.fields().get(i));
    }
    StringBuilder fields = new StringBuilder();
    for (int f = 0; f < types.length; f++) {
      fields.append(f == 0 ? "" : ", ").append("'f").append(f).append("': '");
      fields.append(types[f]).append('\'');
    }
    return Optional.of(
        "INSERT INTO "
            + SqlIdentifiers.qualified(schema, table)
            + " ("
            + String.join(", ", columns.stream().map(column -> quote(column.name())).toList())
            + recordNumber.map(column -> ", " + quote(column)).orElse("")
            + ") SELECT "
            + String.join(", ", values)
            + (recordNumber.isPresent() ? ", row_number() OVER ()" : "")
            + " FROM read_csv("
            + literal(read.file().toAbsolutePath().toString())
            + ", header = true, auto_detect = false, delim = "
            + literal(String.valueOf(read.delimiter()))
            + ", quote = '\"', escape = '\"', strict_mode = true, null_padding = false,"
            + " allow_quoted_nulls = false, nullstr = '', encoding = 'utf-8', max_line_size = "
            // DuckDB refuses a record of more bytes than this, its quotes, delimiters and quoted
            // line breaks included; bucketload counts each value's characters and one more per
            // field, at most the bytes of the record plus one.
            + (read.maxRecordChars() - 1)
            + ", columns = {"
            + fields
            + "})");
  }
}
