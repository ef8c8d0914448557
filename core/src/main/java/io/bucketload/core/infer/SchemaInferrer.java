package io.bucketload.core.infer;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.csv.CsvRowReader;
import io.bucketload.core.csv.RawRow;
import io.bucketload.core.error.DataException;
import io.bucketload.core.schema.BoundSchema;
import io.bucketload.core.schema.SchemaSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Infers column types from a whole file (every row, not a sample), streaming: memory does not grow
 * with the file.
 */
public final class SchemaInferrer {
  private SchemaInferrer() {}

  /**
   * Reads a file and infers its schema.
   *
   * @param input the file's bytes (possibly gzip); closed by this method
   * @param fileName for messages
   * @param dialect how the CSV is written; must have a header
   * @param key key columns, marked required; each must be in the header
   * @throws DataException when the header is unusable or lacks a key column
   * @throws IOException when the file cannot be read as CSV
   */
  public static InferredSchema infer(
      InputStream input, String fileName, CsvDialect dialect, List<String> key) throws IOException {
    try (CsvRowReader reader = CsvRowReader.open(input, fileName, dialect)) {
      if (reader.isEmpty()) {
        throw new io.bucketload.core.csv.MalformedCsvException(
            fileName + ": the file is empty (no header)", 1, null);
      }
      List<String> header = reader.header();
      BoundSchema.bind(
          header,
          new SchemaSpec(List.of(), List.of()),
          fileName,
          java.util.Set.of(),
          reader.headerLine());
      for (String column : key) {
        if (!header.contains(column)) {
          throw new DataException(
              BoundSchema.missingColumnMessage(fileName, column, "--key", header));
        }
      }
      List<ColumnProfile> profiles = new ArrayList<>();
      for (String name : header) {
        profiles.add(new ColumnProfile(name));
      }
      long rows = 0;
      long ragged = 0;
      long firstRagged = 0;
      for (Optional<RawRow> next = reader.next(); next.isPresent(); next = reader.next()) {
        RawRow row = next.get();
        rows++;
        if (row.fields().length != header.size()) {
          ragged++;
          firstRagged = firstRagged == 0 ? row.line() : firstRagged;
          continue;
        }
        for (int i = 0; i < profiles.size(); i++) {
          profiles.get(i).accept(row.fields()[i], row.line());
        }
      }
      List<String> notes = new ArrayList<>();
      if (!header.isEmpty() && header.stream().allMatch(SchemaInferrer::looksLikeAValue)) {
        notes.add(
            "the header ("
                + String.join(", ", header.subList(0, Math.min(5, header.size())))
                + (header.size() > 5 ? ", ..." : "")
                + ") looks like a row of data: if the file has no header, set format.header:"
                + " false and name the columns in schema.columns, in file order");
      }
      if (ragged > 0) {
        notes.add(
            ragged
                + " record(s) do not have "
                + header.size()
                + " fields (first at line "
                + firstRagged
                + "); they were not used and will be rejected");
      }
      List<io.bucketload.core.schema.ColumnSpec> columns = new ArrayList<>();
      for (ColumnProfile profile : profiles) {
        ColumnProfile.Choice choice = profile.choose(false);
        var column = choice.column();
        boolean isKey = key.contains(column.name());
        if (choice.misfits() > 0) {
          notes.add(misfitNote(column, choice, profile.values()));
        }
        if (choice.tooPreciseForDouble()) {
          notes.add(
              "column '"
                  + column.name()
                  + "' holds numbers of up to "
                  + profile.longestNumber()
                  + " digits, which a double would round (it keeps "
                  + ColumnProfile.DOUBLE_DIGITS
                  + " exactly), and not every value fits decimal (at most 38 digits, no"
                  + " exponent); typed as string to keep every digit");
        }
        columns.add(isKey ? column.asRequired() : column);
        if (profile.values() == 0 && rows > 0) {
          notes.add("column '" + column.name() + "' is empty in every row; typed as string");
        }
        if (profile.dateFormats().size() > 1
            && column.type() == io.bucketload.core.schema.ColumnType.DATE) {
          notes.add(
              "column '"
                  + column.name()
                  + "' fits several date formats ("
                  + String.join(", ", profile.dateFormats())
                  + "); check that "
                  + column.format().orElse("yyyy-MM-dd")
                  + " is right");
        }
        if (isKey && profile.nulls() > 0) {
          notes.add(
              "key column '"
                  + column.name()
                  + "' is empty in "
                  + profile.nulls()
                  + " row(s); they will be rejected");
        }
      }
      return new InferredSchema(dialect, columns, rows, notes);
    }
  }

  /**
   * Says which values a column's type leaves out, so that the user decides: keep the type and
   * reject them, fix them, or type the column as string.
   */
  private static String misfitNote(
      io.bucketload.core.schema.ColumnSpec column, ColumnProfile.Choice choice, long values) {
    StringBuilder note =
        new StringBuilder("column '")
            .append(column.name())
            .append("' is typed ")
            .append(column.typeName())
            .append(column.format().map(format -> " (format " + format + ")").orElse(""))
            .append(", which ")
            .append(values - choice.misfits())
            .append(" of its ")
            .append(values)
            .append(" values fit; ")
            .append(choice.misfits())
            .append(choice.misfits() == 1 ? " row would be" : " rows would be")
            .append(" rejected: ");
    List<String> shown = new ArrayList<>();
    for (ColumnProfile.Misfit misfit : choice.shown()) {
      shown.add("line " + misfit.line() + " '" + misfit.value() + "'");
    }
    note.append(String.join(", ", shown));
    if (choice.misfits() > shown.size()) {
      note.append(", ...");
    }
    return note.append(". Fix them, or type the column as string to keep them as they are")
        .toString();
  }

  /** Whether a header name is a number or a date, as data is and column names seldom are. */
  private static boolean looksLikeAValue(String name) {
    String text = name.trim();
    return text.matches("[-+]?\\d+([.,]\\d+)?")
        || text.matches("\\d{1,4}[-/.]\\d{1,2}[-/.]\\d{1,4}([ T].*)?");
  }
}
