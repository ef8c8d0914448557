package io.bucketload.core.target;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A whole CSV file that a target may read with its own reader instead of taking bucketload's rows
 * ({@link TableLoad#readDirectly}). bucketload offers one only where the file's dialect is the
 * plain one both readers share: a local, uncompressed UTF-8 file with a header of one line, a
 * one-character delimiter, the double quote, only the empty unquoted value as NULL, quotes inside
 * unquoted fields refused, and no transforms. The target must load exactly what bucketload's reader
 * would, or decline.
 *
 * @param file the file on this machine
 * @param delimiter the field separator
 * @param fieldCount the fields every record has (the header's)
 * @param fields for each column of the load's plan, in the plan's order, the 0-based index of the
 *     record's field it is read from
 * @param maxFieldChars the longest field bucketload accepts ({@code format.max_field_chars})
 * @param maxRecordChars the longest record bucketload accepts ({@code format.max_record_chars})
 */
public record DirectRead(
    Path file,
    char delimiter,
    int fieldCount,
    List<Integer> fields,
    int maxFieldChars,
    int maxRecordChars) {
  /** Checks the fields. */
  public DirectRead {
    Objects.requireNonNull(file, "file");
    fields = List.copyOf(fields);
    for (int field : fields) {
      if (field < 0 || field >= fieldCount) {
        throw new IllegalArgumentException("field " + field + " is not among " + fieldCount);
      }
    }
  }
}
