package io.bucketload.jdbc.duckdb;

import static io.bucketload.jdbc.SqlIdentifiers.literal;
import static io.bucketload.jdbc.SqlIdentifiers.quote;

import io.bucketload.core.target.DirectRead;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.jdbc.SqlIdentifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statement that has DuckDB read a file itself ({@code read_csv}, in parallel) into a table, in
 * place of the appender: about a third of the appender's CPU for the same rows (measured, {@code
 * docs/performance.md}). Every field is read as text and each value is checked to be in the plain
 * form on which bucketload's parser and DuckDB's cast agree ({@code 42}, {@code 12.50}, {@code
 * 2024-01-31}, {@code 2024-01-31 12:00:00.5}, {@code true}); any other value, a missing required
 * one, a field or record that may be over bucketload's limits (in bytes, which are at least as many
 * as the characters bucketload counts), a text holding several line breaks (which bucketload looks
 * at for a stray quote), or a record DuckDB's strict reader refuses, stops the statement with an
 * error. bucketload's reader then loads the file, rejects and all.
 */
final class DuckDbDirectRead {
  private DuckDbDirectRead() {}

  /**
   * The {@code INSERT ... SELECT ... FROM read_csv(...)} of {@code read} into {@code table}, or
   * empty when a column's type has no plain form checked here ({@code double}: two parsers may
   * round a decimal text to different neighbours only in theory, but that is not proven here).
   *
   * @param fileBytes the file's size: limits no record of the file can reach are not checked
   */
  static Optional<String> insert(
      String schema, String table, List<TargetColumn> columns, DirectRead read, long fileBytes) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Optional<String> value =
          value(columns.get(i), "f" + read.fields().get(i), i, read, fileBytes);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      values.add(value.get());
    }
    StringBuilder fields = new StringBuilder();
    for (int f = 0; f < read.fieldCount(); f++) {
      fields.append(f == 0 ? "" : ", ").append("'f").append(f).append("': 'VARCHAR'");
    }
    return Optional.of(
        "INSERT INTO "
            + SqlIdentifiers.qualified(schema, table)
            + " ("
            + String.join(", ", columns.stream().map(column -> quote(column.name())).toList())
            + ") SELECT "
            + String.join(", ", values)
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

  /** The value of one column: its field checked and cast, or empty for a type not checked. */
  private static Optional<String> value(
      TargetColumn column, String field, int index, DirectRead read, long fileBytes) {
    String missing =
        column.nullable() ? "NULL" : "error('a required value is missing: column {i}')";
    String notPlain = "error('not in its plain form: column {i}')";
    String type = DuckDbTypes.sqlType(column);
    String plainForm =
        switch (column.type()) {
          case INT, LONG -> "[+-]?[0-9]+";
          case DECIMAL ->
              column.scale() == 0
                  ? "[+-]?[0-9]+"
                  : "[+-]?[0-9]+(\\.[0-9]{1," + column.scale() + "})?";
          case DATE -> "[1-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]";
          case TIMESTAMP ->
              "[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}[ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                  + "(\\.[0-9]{1,6})?";
          case STRING, BOOLEAN, DOUBLE -> "";
        };
    String template =
        switch (column.type()) {
          case STRING ->
              "CASE WHEN {f} IS NULL THEN {missing}"
                  + (fileBytes > read.maxFieldChars()
                      ? " WHEN strlen({f}) > "
                          + read.maxFieldChars()
                          + " THEN error('may be longer than format.max_field_chars: column {i}')"
                      : "")
                  + " WHEN contains({f}, chr(10)) OR contains({f}, chr(13)) THEN CASE WHEN"
                  + " len(regexp_extract_all({f}, '\\r\\n|\\r|\\n')) >= 2 THEN"
                  + " error('holds several line breaks: column {i}') ELSE {f} END ELSE {f} END";
          case BOOLEAN ->
              "CASE WHEN {f} IS NULL OR {f} = '' THEN {missing} WHEN {f} = 'true' THEN true"
                  + " WHEN {f} = 'false' THEN false ELSE {notPlain} END";
          case DOUBLE -> "";
          // The same pattern as a glob, which DuckDB matches faster than a regular expression
          // (85 against 100 ms for 1,000,000 dates on two threads).
          case DATE ->
              "CASE WHEN {f} IS NULL OR {f} = '' THEN {missing} WHEN {f} GLOB {form} THEN"
                  + " CAST({f} AS {type}) ELSE {notPlain} END";
          default ->
              "CASE WHEN {f} IS NULL OR {f} = '' THEN {missing} WHEN regexp_full_match({f},"
                  + " {form}) THEN CAST({f} AS {type}) ELSE {notPlain} END";
        };
    return template.isEmpty()
        ? Optional.empty()
        : Optional.of(
            template
                .replace("{missing}", missing)
                .replace("{notPlain}", notPlain)
                .replace("{form}", literal(plainForm))
                .replace("{type}", type)
                .replace("{f}", field)
                .replace("{i}", String.valueOf(index)));
  }
}
