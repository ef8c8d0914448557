package io.bucketload.core.run;

import io.bucketload.core.csv.RawRow;
import io.bucketload.core.csv.ReadRecord;
import io.bucketload.core.csv.RecordBytes;
import io.bucketload.core.schema.BoundSchema;
import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.RowRejected;
import io.bucketload.core.target.RowLimit;
import io.bucketload.core.transform.FileContext;
import io.bucketload.core.transform.RowShape;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Turns each record of a file into the values its table takes, or into a reject, or drops it (a
 * filter): conversion to the schema's types, transforms, the key's presence and the target's
 * per-row limits. Immutable and thread-safe: the threads that read parts of one file share it.
 */
final class RowPreparer {
  /** What becomes of each record, told in the order of the records. */
  interface Outcomes {
    /** The record loads as {@code values}. */
    void accepted(Object[] values, long line);

    /** A filter step dropped the record. */
    void filtered();

    /**
     * The record is a reject, for every reason in {@code rejected}.
     *
     * @throws IOException when the reject cannot be written
     */
    void rejected(RawRow row, RowRejected rejected) throws IOException;
  }

  private final List<String> fieldNames;
  private final BoundSchema bound;
  private final RowShape shape;
  private final RowLimit limit;
  private final FileContext context;
  private final int maxFieldChars;
  private final int maxRecordChars;
  private final int[] keyIndexes;
  private final List<ColumnSpec> columns;
  private final boolean filtering;

  /** What a reject of a record of another width adds: a hint at the delimiter, or nothing. */
  private final String widthHint;

  RowPreparer(
      List<String> fieldNames,
      BoundSchema bound,
      RowShape shape,
      RowLimit limit,
      FileContext context,
      int maxFieldChars,
      int maxRecordChars) {
    this.fieldNames = List.copyOf(fieldNames);
    this.bound = bound;
    this.shape = shape;
    this.limit = limit;
    this.context = context;
    this.maxFieldChars = maxFieldChars;
    this.maxRecordChars = maxRecordChars;
    this.keyIndexes = shape.keyIndexes();
    this.columns = shape.columns();
    this.filtering = shape.filters();
    this.widthHint = BoundSchema.oneColumnHint(this.fieldNames);
  }

  /** The number of fields every valid record has. */
  int fieldCount() {
    return bound.fieldCount();
  }

  /**
   * Prepares {@code record} and tells {@code outcomes} what became of it: converted from its bytes
   * when it was read as bytes and every value converts, otherwise from its text.
   *
   * @throws IOException when {@code outcomes} cannot take a reject
   */
  void prepare(ReadRecord record, Outcomes outcomes) throws IOException {
    Optional<RecordBytes> bytes = record.bytes();
    Optional<Object[]> converted =
        bytes.isPresent() ? bound.convert(bytes.get()) : Optional.<Object[]>empty();
    if (converted.isEmpty()) {
      prepareText(record.row(), outcomes);
      return;
    }
    try {
      prepareConverted(converted.get(), record, outcomes);
    } catch (RowRejected rejected) {
      outcomes.rejected(record.row(), rejected);
    }
  }

  /** Whether a row's values hold the line it starts on ({@link RowShape#readsLines()}). */
  boolean readsLines() {
    return shape.readsLines();
  }

  /** {@link #prepare} of a record converted from its text. */
  private void prepareText(RawRow row, Outcomes outcomes) throws IOException {
    try {
      Object[] converted;
      try {
        converted = converted(row);
      } catch (RowRejected rejected) {
        throw withMissingKey(row, rejected);
      }
      prepareConverted(converted, row, outcomes);
    } catch (RowRejected rejected) {
      outcomes.rejected(row, rejected);
    }
  }

  /**
   * Takes a record whose values converted through transforms, the key's presence and the target's
   * limits; its text ({@link ReadRecord#row()}) is built only for a reject.
   */
  private void prepareConverted(Object[] converted, ReadRecord record, Outcomes outcomes)
      throws RowRejected {
    long line = record.line();
    Object[] values;
    try {
      if (filtering && !shape.keep(converted, line, context)) {
        outcomes.filtered();
        return;
      }
      values = shape.apply(converted, line, context);
    } catch (io.bucketload.core.transform.ExpressionFailure e) {
      // An expression that cannot be computed for this row (an overflow, text that is not a
      // date) rejects the row, as a value that does not convert would, naming its column.
      throw new RowRejected(
          e.failures().stream()
              .map(failure -> new RowRejected.Problem(failure.column(), "", failure.getMessage()))
              .toList());
    }
    for (int k : keyIndexes) {
      if (values[k] == null) {
        throw new RowRejected(columns.get(k).name(), "", "key value is missing");
      }
    }
    Optional<RowLimit.Violation> violation = limit.check(values);
    if (violation.isPresent()) {
      String column = violation.get().column();
      throw new RowRejected(column, asRead(record.row(), column), violation.get().reason());
    }
    outcomes.accepted(values, line);
  }

  /**
   * A row rejected for its values, with its empty key columns too: one reading of the rejects file
   * then shows everything to fix (the key is otherwise checked only once the row converts).
   */
  private RowRejected withMissingKey(RawRow row, RowRejected rejected) {
    if (row.tooLong() || row.defect().isPresent() || row.fields().length != bound.fieldCount()) {
      return rejected;
    }
    List<RowRejected.Problem> problems = new java.util.ArrayList<>(rejected.problems());
    for (int k : keyIndexes) {
      int source = shape.sourceOf(k);
      if (source < 0) {
        continue;
      }
      String raw = row.fields()[bound.fieldIndexOf(source)];
      String inputName = bound.columns().get(source).name();
      String keyName = columns.get(k).name();
      boolean named =
          problems.stream()
              .anyMatch(
                  problem ->
                      problem.column().equals(inputName) || problem.column().equals(keyName));
      if ((raw == null || raw.isEmpty()) && !named) {
        problems.add(new RowRejected.Problem(keyName, "", "key value is missing"));
      }
    }
    return problems.size() == rejected.problems().size() ? rejected : new RowRejected(problems);
  }

  /** The row's values converted to their types, before transforms. */
  private Object[] converted(RawRow row) throws RowRejected {
    if (row.oversize() == RawRow.Oversize.FIELD) {
      throw new RowRejected(
          "", "", "a field is longer than format.max_field_chars (" + maxFieldChars + ")");
    }
    if (row.oversize() == RawRow.Oversize.RECORD) {
      throw new RowRejected(
          "", "", "the record is longer than format.max_record_chars (" + maxRecordChars + ")");
    }
    if (row.defect().isPresent()) {
      RawRow.Defect defect = row.defect().get();
      throw new RowRejected(
          defect.field() < fieldNames.size()
              ? fieldNames.get(defect.field())
              : "field " + (defect.field() + 1),
          defect.value(),
          defect.reason());
    }
    int expectedFields = bound.fieldCount();
    if (row.fields().length != expectedFields) {
      throw new RowRejected(
          "",
          "",
          "expected " + expectedFields + " fields, found " + row.fields().length + widthHint);
    }
    return bound.convert(row.fields());
  }

  /** The value of the file's column {@code name} as the row has it; empty when not the file's. */
  private String asRead(RawRow row, String name) {
    int index = fieldNames.indexOf(name);
    if (index < 0 || index >= row.fields().length || row.fields()[index] == null) {
      return "";
    }
    return row.fields()[index];
  }
}
