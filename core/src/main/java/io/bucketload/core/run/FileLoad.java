package io.bucketload.core.run;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.csv.CsvRowReader;
import io.bucketload.core.csv.RawRow;
import io.bucketload.core.error.DataException;
import io.bucketload.core.error.Fault;
import io.bucketload.core.schema.BoundSchema;
import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.RowRejected;
import io.bucketload.core.schema.SchemaSpec;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.InputSpec;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.RowLimit;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.core.transform.FileContext;
import io.bucketload.core.transform.RowShape;
import io.bucketload.core.transform.ShapeException;
import io.bucketload.core.transform.TransformStep;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One file of a unit of work: identified, checked against the ledger, streamed, validated and
 * written into its table inside the unit's transaction; then reported. Not thread-safe.
 */
final class FileLoad {
  static final int CHUNK_ROWS = 8192;

  private final PipelineSpec spec;
  private final InputSpec input;
  private final Source source;
  private final Target target;
  private final LoadListener listener;
  private final Clock clock;
  private final String runId;
  private final boolean dryRun;
  private final SourceObject object;
  private final Instant started;
  private final long startNanos;
  private final List<String> warnings = new ArrayList<>();
  private final List<String> exports = new ArrayList<>();

  private FileVersion version;
  private long rowsRead;
  private long rowsRejected;
  private long bytes;
  private Optional<String> rejectsPath = Optional.empty();
  private CountingInputStream counted;
  private RejectsWriter rejects;

  FileLoad(
      PipelineSpec spec,
      InputSpec input,
      Source source,
      Target target,
      LoadListener listener,
      Clock clock,
      String runId,
      boolean dryRun,
      SourceObject object) {
    this.spec = spec;
    this.input = input;
    this.source = source;
    this.target = target;
    this.listener = listener;
    this.clock = clock;
    this.runId = runId;
    this.dryRun = dryRun;
    this.object = object;
    this.started = clock.instant();
    this.startNanos = System.nanoTime();
  }

  SourceObject object() {
    return object;
  }

  /** The version, once identified. */
  Optional<FileVersion> version() {
    return Optional.ofNullable(version);
  }

  /** Identifies the version; returns its earlier successful load, if any (none in a dry run). */
  Optional<LedgerEntry> identify(Ledger ledger) throws IOException {
    version = source.identify(object);
    return dryRun ? Optional.empty() : ledger.findLoaded(spec.name(), version);
  }

  /**
   * Streams the file into its table within {@code transaction}.
   *
   * @return what the load does to the table once committed
   * @throws DataException when the file cannot load (bad shape, too many rejects)
   * @throws IOException when the file cannot be read
   */
  LoadCounts loadInto(LoadTransaction transaction) throws IOException {
    FileContext context =
        new FileContext(
            object.key(), object.name(), LocalDateTime.ofInstant(started, ZoneOffset.UTC));
    CsvDialect format = input.format();
    SchemaSpec schema = input.schema();
    counted = new CountingInputStream(source.open(object));
    try (CsvRowReader reader = CsvRowReader.open(counted, object.key(), format)) {
      Optional<RawRow> pending =
          format.header() || schema.declaresColumns() ? Optional.empty() : reader.next();
      List<String> header = header(reader, pending);
      if (header.isEmpty()) {
        throw new DataException(object.key() + ": the file has no records");
      }
      BoundSchema bound = BoundSchema.bind(header, schema, object.key(), defaulted());
      if (!bound.ignoredColumns().isEmpty()) {
        warnings.add(
            "columns not declared in schema.columns were not loaded: "
                + String.join(", ", bound.ignoredColumns()));
      }
      RowShape shape;
      try {
        shape = RowShape.compile(bound.columns(), input.transforms(), schema.key());
      } catch (ShapeException e) {
        String message =
            e.missingKey()
                .map(
                    column ->
                        header.contains(column)
                            ? object.key()
                                + ": key column '"
                                + column
                                + "' is renamed or dropped by a transform; schema.key names the"
                                + " columns after transforms"
                            : BoundSchema.missingColumnMessage(
                                object.key(), column, "schema.key", header))
                .orElse(object.key() + ": " + e.getMessage());
        throw new DataException(message);
      }
      LoadPlan plan =
          new LoadPlan(
              spec.name(),
              runId,
              version,
              input.table(),
              input.mode(),
              shape.columns().stream().map(TargetColumn::of).toList(),
              schema.key());
      rejects = new RejectsWriter(source, spec.source().rejectedFolder(), object, header);
      RowLimit limit = target.rowLimit(plan);
      TableLoad load = transaction.load(plan);
      boolean overLimit = false;
      try (ChunkWriter writer = new ChunkWriter(load, object.name())) {
        overLimit = stream(reader, pending, bound, shape, limit, context, rejects, writer);
        if (!overLimit) {
          writer.finish();
        }
      } finally {
        bytes = counted.count();
        rejects.finish();
        rejectsPath = rejects.location();
      }
      if (overLimit || input.rejects().exceededBy(rowsRejected, rowsRead)) {
        throw new DataException(
            object.key()
                + ": "
                + rowsRejected
                + " of "
                + rowsRead
                + " rows rejected, over rejects.max "
                + input.rejects()
                + "; nothing was loaded"
                + rejectsPath.map(path -> " (rejects: " + path + ")").orElse(""));
      }
      LoadCounts counts = load.finish();
      long accepted = rowsRead - rowsRejected;
      if (!dryRun && counts.loaded() < accepted) {
        warnings.add(
            (accepted - counts.loaded())
                + " row(s) repeated the key of a later row in the file; the last row of each key"
                + " was loaded");
      }
      return counts;
    }
  }

  /**
   * Reads and validates the whole file without writing a row, for a target whose writes are visible
   * before the commit: a file that would fail fails here, before its first write. Writes the
   * rejects, as the load will again.
   *
   * @throws DataException when the file cannot load (bad shape, too many rejects)
   * @throws IOException when the file cannot be read
   */
  void validateFirst() throws IOException {
    FileLoad check =
        new FileLoad(spec, input, source, target, listener, clock, runId, true, object);
    check.version = version;
    try {
      check.loadInto(new DiscardingTransaction());
    } catch (IOException | RuntimeException e) {
      // A file that fails here is reported with what its check found; one that passes is
      // counted by its load.
      rowsRead = check.rowsRead;
      rowsRejected = check.rowsRejected;
      rejectsPath = check.rejectsPath;
      bytes = check.counted == null ? check.bytes : check.counted.count();
      warnings.addAll(check.warnings);
      throw e;
    }
  }

  /** The columns a {@code default} transform adds to files that lack them. */
  private Set<String> defaulted() {
    Set<String> names = new HashSet<>();
    for (TransformStep step : input.transforms()) {
      if (step instanceof TransformStep.Default defaults) {
        names.addAll(defaults.columns().keySet());
      }
    }
    return names;
  }

  /** Tidies up after the commit: the rejects of an earlier version are now stale. */
  void committed() {
    try {
      if (rejects != null && rejects.removeStale()) {
        warnings.add("removed the rejects file of an earlier version of this file");
      }
    } catch (IOException e) {
      warnings.add("the rejects file of an earlier version could not be removed: " + e);
    }
  }

  /** Notes an export file written by the unit this file belongs to. */
  void exported(String location) {
    exports.add(location);
  }

  /**
   * The column names: the header's, the declared columns' for a file without header, or {@code
   * column_1..n} after the width of the first record.
   */
  private List<String> header(CsvRowReader reader, Optional<RawRow> first) {
    if (input.format().header()) {
      return reader.header();
    }
    if (input.schema().declaresColumns()) {
      return input.schema().columns().stream().map(ColumnSpec::name).toList();
    }
    int width = first.map(row -> row.fields().length).orElse(0);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= width; i++) {
      names.add("column_" + i);
    }
    return names;
  }

  /** Streams the records; returns whether the reject limit was passed before the end. */
  private boolean stream(
      CsvRowReader reader,
      Optional<RawRow> pending,
      BoundSchema bound,
      RowShape shape,
      RowLimit limit,
      FileContext context,
      RejectsWriter rejects,
      ChunkWriter writer)
      throws IOException {
    int[] keyIndexes = shape.keyIndexes();
    List<ColumnSpec> columns = shape.columns();
    int expectedFields = bound.fieldCount();
    boolean overLimit = false;
    RowChunk chunk = new RowChunk(CHUNK_ROWS);
    Optional<RawRow> next = pending.isPresent() ? pending : reader.next();
    while (next.isPresent()) {
      RawRow row = next.get();
      rowsRead++;
      try {
        if (row.oversize() == RawRow.Oversize.FIELD) {
          throw new RowRejected(
              "",
              "",
              "a field is longer than format.max_field_chars ("
                  + input.format().maxFieldChars()
                  + ")");
        }
        if (row.oversize() == RawRow.Oversize.RECORD) {
          throw new RowRejected(
              "",
              "",
              "the record is longer than format.max_record_chars ("
                  + input.format().maxRecordChars()
                  + ")");
        }
        if (row.fields().length != expectedFields) {
          throw new RowRejected(
              "", "", "expected " + expectedFields + " fields, found " + row.fields().length);
        }
        Object[] values = shape.apply(bound.convert(row.fields()), row.line(), context);
        for (int k : keyIndexes) {
          if (values[k] == null) {
            throw new RowRejected(columns.get(k).name(), "", "key value is missing");
          }
        }
        Optional<RowLimit.Violation> violation = limit.check(values);
        if (violation.isPresent()) {
          throw new RowRejected(violation.get().column(), "", violation.get().reason());
        }
        if (!overLimit && chunk.add(values, row.line())) {
          writer.submit(chunk);
          chunk = new RowChunk(CHUNK_ROWS);
          listener.progress(object, rowsRead, counted.count());
        }
      } catch (RowRejected rejected) {
        rowsRejected++;
        rejects.write(row, rejected.column(), rejected.value(), rejected.reason());
        if (!overLimit && input.rejects().exceededAlready(rowsRejected)) {
          overLimit = true;
        }
      }
      next = reader.next();
    }
    if (!overLimit && chunk.size() > 0) {
      writer.submit(chunk);
    }
    listener.progress(object, rowsRead, counted.count());
    return overLimit;
  }

  /** The ledger entry of this attempt. */
  LedgerEntry entry(FileStatus status, LoadCounts counts, Optional<String> error) {
    return new LedgerEntry(
        spec.name(),
        runId,
        version,
        status,
        started,
        clock.instant(),
        rowsRead,
        rowsRejected,
        counts,
        error);
  }

  FileReport loaded(LoadCounts counts) {
    return report(
        dryRun ? FileStatus.VALID : FileStatus.LOADED, counts, Optional.empty(), Optional.empty());
  }

  FileReport skipped(LedgerEntry earlier) {
    return report(
        FileStatus.SKIPPED,
        LoadCounts.none(),
        Optional.of(
            "already loaded at "
                + earlier.finishedAt()
                + " (run "
                + earlier.runId()
                + ", "
                + earlier.counts().loaded()
                + " rows loaded)"),
        Optional.empty());
  }

  FileReport waiting(String note) {
    return report(FileStatus.WAITING, LoadCounts.none(), Optional.of(note), Optional.empty());
  }

  /** The report of a failure; {@code message} must already be masked. */
  FileReport failed(Fault fault, String message) {
    return report(FileStatus.FAILED, LoadCounts.none(), Optional.of(message), Optional.of(fault));
  }

  /** Notes something the user should know that did not fail the file. */
  void warn(String warning) {
    warnings.add(warning);
  }

  private FileReport report(
      FileStatus status, LoadCounts counts, Optional<String> note, Optional<Fault> fault) {
    return new FileReport(
        object.key(),
        Optional.ofNullable(version).map(FileVersion::checksum),
        status,
        rowsRead,
        status == FileStatus.LOADED ? counts.loaded() : 0,
        rowsRejected,
        counts.inserted(),
        counts.updated(),
        counts.unchanged(),
        counts.deleted(),
        rejectsPath,
        note,
        fault,
        counted == null ? bytes : counted.count(),
        (System.nanoTime() - startNanos) / 1_000_000,
        warnings,
        exports);
  }
}
