package io.bucketload.core.run;

import de.siegmar.fastcsv.writer.CsvWriter;
import io.bucketload.core.csv.RawRow;
import io.bucketload.core.source.OutputPaths;
import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.SourceObject;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a file's rejects as CSV to the output store, beside the file under {@code rejected/}
 * ({@code source.rejected}): the line, column, value and reason, then the record's original fields.
 * The file is created at the first reject only.
 */
final class RejectsWriter {
  private final OutputStore outputs;
  private final String folder;
  private final SourceObject object;
  private final List<String> header;
  private OutputStore.Output output;
  private CsvWriter writer;

  RejectsWriter(OutputStore outputs, String folder, SourceObject object, List<String> header) {
    this.outputs = outputs;
    this.folder = folder;
    this.object = object;
    this.header = header;
  }

  static String fileName(SourceObject object) {
    return RejectsFile.fileName(object.name());
  }

  void write(RawRow row, String column, String value, String reason) throws IOException {
    if (output == null) {
      try {
        output = outputs.create(OutputPaths.beside(object, folder, fileName(object)));
      } catch (IOException e) {
        throw new IOException(
            "cannot write the rejects file: " + io.bucketload.core.error.IoFailures.reason(e), e);
      }
      writer =
          CsvWriter.builder()
              .build(new OutputStreamWriter(output.stream(), StandardCharsets.UTF_8));
      List<String> head = new ArrayList<>(List.of("line", "column", "value", "reason"));
      head.addAll(header);
      writer.writeRecord(head);
    }
    List<String> fields = new ArrayList<>(4 + row.fields().length);
    fields.add(Long.toString(row.line()));
    fields.add(column);
    fields.add(value);
    fields.add(reason);
    for (String field : row.fields()) {
      fields.add(field == null ? "" : field);
    }
    try {
      writer.writeRecord(fields);
    } catch (UncheckedIOException e) {
      throw new IOException(
          "cannot write the rejects file: "
              + io.bucketload.core.error.IoFailures.reason(e.getCause()),
          e.getCause());
    }
  }

  /** Removes the rejects file of an earlier load of this file, when this one had none. */
  boolean removeStale() throws IOException {
    return output == null && outputs.delete(OutputPaths.beside(object, folder, fileName(object)));
  }

  /** Where the rejects are, if any were written. */
  Optional<String> location() {
    return Optional.ofNullable(output).map(OutputStore.Output::location);
  }

  /** Closes and publishes the rejects file, if one was started. Safe to call more than once. */
  void finish() throws IOException {
    if (writer != null) {
      CsvWriter open = writer;
      writer = null;
      open.close();
    }
  }
}
