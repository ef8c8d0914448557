package io.bucketload.core.run;

import io.bucketload.core.csv.CsvRowReader;
import io.bucketload.core.csv.MalformedCsvException;
import io.bucketload.core.csv.RawRow;
import io.bucketload.core.error.BucketloadException;
import io.bucketload.core.error.DataException;
import io.bucketload.core.error.Fault;
import io.bucketload.core.schema.BoundSchema;
import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.RowRejected;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.core.transform.FileContext;
import io.bucketload.core.transform.RowShape;
import io.bucketload.core.transform.ShapeException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads one file: identify, skip if loaded, stream, validate, write chunks, commit or abort. */
final class FileLoad {
  static final int CHUNK_ROWS = 8192;
  private static final Logger LOG = LoggerFactory.getLogger(FileLoad.class);

  private final PipelineSpec spec;
  private final Source source;
  private final Target target;
  private final LoadListener listener;
  private final Clock clock;
  private final String runId;
  private final boolean dryRun;
  private final List<String> warnings = new ArrayList<>();

  private FileVersion version;
  private long rowsRead;
  private long rowsRejected;
  private long bytes;
  private Optional<String> rejectsPath = Optional.empty();
  private CountingInputStream counted;

  FileLoad(
      PipelineSpec spec,
      Source source,
      Target target,
      LoadListener listener,
      Clock clock,
      String runId,
      boolean dryRun) {
    this.spec = spec;
    this.source = source;
    this.target = target;
    this.listener = listener;
    this.clock = clock;
    this.runId = runId;
    this.dryRun = dryRun;
  }

  FileReport load(SourceObject object) {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    listener.fileStarted(object);
    FileReport report;
    try {
      report = attempt(object, started, startNanos);
    } catch (BucketloadException e) {
      report = failed(object, started, startNanos, e.fault(), e.getMessage());
    } catch (MalformedCsvException e) {
      report = failed(object, started, startNanos, Fault.DATA, e.getMessage());
    } catch (IOException e) {
      report =
          failed(
              object,
              started,
              startNanos,
              Fault.SYSTEM,
              object.key() + ": cannot read: " + describe(e));
    } catch (RuntimeException e) {
      LOG.error("[{}] {}: unexpected failure", spec.name(), object.key(), e);
      report = failed(object, started, startNanos, Fault.SYSTEM, object.key() + ": " + describe(e));
    }
    listener.fileFinished(report);
    return report;
  }

  private FileReport attempt(SourceObject object, Instant started, long startNanos)
      throws IOException {
    version = source.identify(object);
    if (!dryRun) {
      Optional<LedgerEntry> loaded = target.ledger().findLoaded(spec.name(), version);
      if (loaded.isPresent()) {
        LedgerEntry entry = loaded.get();
        return report(
            object,
            FileStatus.SKIPPED,
            startNanos,
            LoadCounts.none(),
            Optional.of(
                "already loaded at "
                    + entry.finishedAt()
                    + " (run "
                    + entry.runId()
                    + ", "
                    + entry.counts().loaded()
                    + " rows loaded)"),
            Optional.empty());
      }
    }
    FileContext context =
        new FileContext(
            object.key(), object.name(), LocalDateTime.ofInstant(started, ZoneOffset.UTC));
    counted = new CountingInputStream(source.open(object));
    try (CsvRowReader reader = CsvRowReader.open(counted, object.key(), spec.format())) {
      Optional<RawRow> pending =
          spec.format().header() || spec.schema().declaresColumns()
              ? Optional.empty()
              : reader.next();
      List<String> header = header(reader, pending);
      if (header.isEmpty()) {
        throw new DataException(object.key() + ": the file has no records");
      }
      BoundSchema bound = BoundSchema.bind(header, spec.schema(), object.key());
      if (!bound.ignoredColumns().isEmpty()) {
        warnings.add(
            "columns not declared in schema.columns were not loaded: "
                + String.join(", ", bound.ignoredColumns()));
      }
      RowShape shape;
      try {
        shape = RowShape.compile(bound.columns(), spec.transforms(), spec.schema().key());
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
              spec.target().table(),
              spec.target().mode(),
              shape.columns().stream().map(TargetColumn::of).toList(),
              spec.schema().key());
      RejectsWriter rejects = new RejectsWriter(source, object, header);
      try (LoadTransaction transaction = target.begin(plan)) {
        boolean overLimit = false;
        try (ChunkWriter writer = new ChunkWriter(transaction, object.name())) {
          overLimit =
              stream(reader, pending, bound, shape, context, rejects, writer, counted, object);
          if (!overLimit) {
            writer.finish();
          }
        } finally {
          bytes = counted.count();
          rejects.finish();
          rejectsPath = rejects.location();
        }
        overLimit = overLimit || spec.rejects().exceededBy(rowsRejected, rowsRead);
        if (overLimit) {
          transaction.abort();
          throw new DataException(
              object.key()
                  + ": "
                  + rowsRejected
                  + " of "
                  + rowsRead
                  + " rows rejected, over rejects.max "
                  + spec.rejects()
                  + "; nothing was loaded"
                  + rejectsPath.map(path -> " (rejects: " + path + ")").orElse(""));
        }
        LedgerEntry entry = entry(FileStatus.LOADED, started, LoadCounts.none(), Optional.empty());
        LoadCounts counts = transaction.commit(entry);
        if (rejects.removeStale()) {
          warnings.add("removed the rejects file of an earlier version of this file");
        }
        long accepted = rowsRead - rowsRejected;
        if (!dryRun && counts.loaded() < accepted) {
          warnings.add(
              (accepted - counts.loaded())
                  + " row(s) repeated the key of a later row in the file; the last row of each key"
                  + " was loaded");
        }
        return report(
            object,
            dryRun ? FileStatus.VALID : FileStatus.LOADED,
            startNanos,
            counts,
            Optional.empty(),
            Optional.empty());
      }
    }
  }

  /**
   * The column names: the header's, the declared columns' for a file without header, or {@code
   * column_1..n} after the width of the first record.
   */
  private List<String> header(CsvRowReader reader, Optional<RawRow> first) {
    if (spec.format().header()) {
      return reader.header();
    }
    if (spec.schema().declaresColumns()) {
      return spec.schema().columns().stream().map(ColumnSpec::name).toList();
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
      FileContext context,
      RejectsWriter rejects,
      ChunkWriter writer,
      CountingInputStream counted,
      SourceObject object)
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
                  + spec.format().maxFieldChars()
                  + ")");
        }
        if (row.oversize() == RawRow.Oversize.RECORD) {
          throw new RowRejected(
              "",
              "",
              "the record is longer than format.max_record_chars ("
                  + spec.format().maxRecordChars()
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
        if (!overLimit && chunk.add(values, row.line())) {
          writer.submit(chunk);
          chunk = new RowChunk(CHUNK_ROWS);
          listener.progress(object, rowsRead, counted.count());
        }
      } catch (RowRejected rejected) {
        rowsRejected++;
        rejects.write(row, rejected.column(), rejected.value(), rejected.reason());
        if (!overLimit && spec.rejects().exceededAlready(rowsRejected)) {
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

  private LedgerEntry entry(
      FileStatus status, Instant started, LoadCounts counts, Optional<String> error) {
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

  private FileReport failed(
      SourceObject object, Instant started, long startNanos, Fault fault, String message) {
    String error = spec.mask(message);
    LOG.info("[{}] {} failed: {}", spec.name(), object.key(), error);
    if (!dryRun && version != null && fault != Fault.CONFIG) {
      try {
        target
            .ledger()
            .recordFailure(
                entry(FileStatus.FAILED, started, LoadCounts.none(), Optional.of(error)));
      } catch (RuntimeException e) {
        warnings.add("the failure could not be recorded in the ledger: " + spec.mask(describe(e)));
      }
    }
    return new FileReport(
        object.key(),
        Optional.ofNullable(version).map(FileVersion::checksum),
        FileStatus.FAILED,
        rowsRead,
        0,
        rowsRejected,
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        rejectsPath,
        Optional.of(error),
        Optional.of(fault),
        counted == null ? bytes : counted.count(),
        elapsedMs(startNanos),
        warnings);
  }

  private FileReport report(
      SourceObject object,
      FileStatus status,
      long startNanos,
      LoadCounts counts,
      Optional<String> note,
      Optional<Fault> fault) {
    return new FileReport(
        object.key(),
        Optional.of(version.checksum()),
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
        bytes,
        elapsedMs(startNanos),
        warnings);
  }

  private static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
