package io.bucketload.core.run;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.csv.CsvRowReader;
import io.bucketload.core.csv.PartInput;
import io.bucketload.core.csv.PlainValues;
import io.bucketload.core.csv.RawRow;
import io.bucketload.core.csv.ReadRecord;
import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.csv.RecordsInQuotes;
import io.bucketload.core.error.DataException;
import io.bucketload.core.schema.BoundSchema;
import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.RowRejected;
import io.bucketload.core.schema.SchemaSpec;
import io.bucketload.core.source.FileBytes;
import io.bucketload.core.source.LocalFileBytes;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.source.SourceStreams;
import io.bucketload.core.spec.InputSpec;
import io.bucketload.core.target.DirectRead;
import io.bucketload.core.target.DirectReadDeclined;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.RowLimit;
import io.bucketload.core.target.RowStage;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.core.transform.FileContext;
import io.bucketload.core.transform.RowShape;
import io.bucketload.core.transform.ShapeException;
import io.bucketload.core.transform.TransformStep;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One reading of one file: streamed, validated, transformed and written into its table load in
 * chunks, its rejects written to the output store. What it measured stays readable after it fails,
 * so that a failure is reported with its counts. One-shot and not thread-safe.
 */
final class FileReading {
  /**
   * Rows per chunk handed to the writer thread. Up to four chunks are live at once (one being
   * filled, {@link ChunkWriter#IN_FLIGHT} queued, one being written), and they must fit the young
   * generation's survivor space (12.8 MB with the launcher's options) or every collection copies
   * them: with 8,192 rows a 1,000,000-row run into DuckDB paused 259-354 ms in all, with 2,048
   * 135-150 ms (docs/performance.md). A chunk of a file wider than 64 columns holds fewer rows
   * ({@link io.bucketload.core.target.RowChunk#MAX_VALUES}).
   */
  static final int CHUNK_ROWS = 2048;

  private final RunContext run;
  private final FileTask.Identified file;
  private final InputSpec input;
  private final SourceObject object;
  private final boolean discard;
  private final boolean intoWorkspace;
  private final boolean directReads;
  private final List<String> warnings = new ArrayList<>();

  /** Whether the file has no record at all (0 bytes, or blank lines only). */
  private boolean emptyFile;

  /** The file's field names, for rejects that name a field. */
  private List<String> fieldNames = List.of();

  private long rowsRead;
  private long rowsRejected;

  /** The line of the first rejected row; 0 while none is. */
  private long firstRejectedLine;

  private long rowsFiltered;
  private CountingInputStream counted;

  /** The bytes of the parts taken so far, when the file is read in parts; else -1. */
  private long partsBytes = -1;

  private RejectsWriter rejects;
  private final RejectTally tally = new RejectTally();

  /**
   * @param discard whether the rows are only checked, not loaded (a dry run, or the check before
   *     the writes of a target without transactions)
   */
  FileReading(RunContext run, FileTask.Identified file, boolean discard) {
    this(run, file, discard, false);
  }

  /**
   * @param intoWorkspace whether the rows go to a {@code sql} step's workspace, not the target
   *     (whose row limit then applies to the query's result instead)
   */
  FileReading(RunContext run, FileTask.Identified file, boolean discard, boolean intoWorkspace) {
    this(run, file, discard, intoWorkspace, false);
  }

  /**
   * @param directReads whether the target may read the file itself where it can ({@link
   *     TableLoad#readDirectly}); a {@link io.bucketload.core.target.DirectReadDeclined} then
   *     leaves the transaction to roll back
   */
  FileReading(
      RunContext run,
      FileTask.Identified file,
      boolean discard,
      boolean intoWorkspace,
      boolean directReads) {
    this.run = run;
    this.directReads = directReads && !discard && !intoWorkspace;
    this.file = file;
    this.input = file.task().input();
    this.object = file.task().object();
    this.discard = discard;
    this.intoWorkspace = intoWorkspace;
  }

  /** What this reading measured so far. */
  FileStats stats() {
    return new FileStats(
        rowsRead,
        rowsRejected,
        bytesRead(),
        file.task().elapsedMs(),
        rejects == null ? Optional.empty() : rejects.location(),
        tally.top(),
        rowsFiltered);
  }

  private long bytesRead() {
    return partsBytes >= 0 ? partsBytes : counted == null ? 0 : counted.count();
  }

  /**
   * Warns when the target loaded fewer rows than this reading accepted: rows of a repeated key gave
   * way to the last row of that key, or the table skipped rows. For a load written from this
   * reading's rows later (a spool), with that load's counts.
   */
  void noteRepeatedKeys(LoadCounts counts) {
    refuseEmptiedByTheTable(counts);
    long accepted = rowsRead - rowsRejected - rowsFiltered - counts.skipped();
    if (counts.skipped() > 0) {
      warnings.add(
          counts.skipped()
              + " row(s) were skipped by the table: a trigger on it returned no row for them");
    }
    if (counts.loaded() < accepted) {
      warnings.add(
          (accepted - counts.loaded())
              + " row(s) repeated the key of a later row in the file; the last row of each key"
              + " was loaded");
    }
  }

  private void warnOfWindowsText(long line) {
    warnings.add(
        "line "
            + line
            + " holds control characters (U+0080 to U+009F), which ISO-8859-1 text does not use: a"
            + " file written as windows-1252 reads this way (its euro signs, curly quotes and"
            + " dashes); if so, set format.encoding: windows-1252 and load it again");
  }

  /**
   * Fails the load when the file read is not the version identified before (its size and checksum
   * are what the ledger records): a file still being written, or rewritten while it loads, would be
   * recorded as one version with the rows of another, and load again on the next run.
   */
  private void refuseChangedFile(long bytesRead) throws IOException {
    long identified = file.version().size();
    // A local file can change in place; an S3 object version or an HTTP download (checked by its
    // ETag, or read from the copy that was hashed) cannot.
    boolean local = run.source() instanceof io.bucketload.core.source.LocalFolderSource;
    if (local && identified >= 0 && bytesRead != identified) {
      throw new io.bucketload.core.source.FileChangedException(
          object.key(),
          "the file changed while it was read ("
              + identified
              + " bytes when identified, "
              + bytesRead
              + " read)");
    }
  }

  /** The warning of a file with no record, counting the lines {@code format.skip_lines} took. */
  private String emptyAfterSkipping(long skipped) {
    if (skipped == 0) {
      return "the file is empty: no header and no rows";
    }
    int asked = input.format().skipLines();
    return skipped < asked
        ? "the file has only "
            + skipped
            + " line(s), all skipped by format.skip_lines ("
            + asked
            + "): no header and no rows"
        : "the file has no header and no rows after the "
            + skipped
            + " line(s) format.skip_lines skips";
  }

  private void warnOfRecordsInQuotes(RecordsInQuotes found) {
    String column =
        found.field() < fieldNames.size()
            ? "'" + fieldNames.get(found.field()) + "'"
            : "field " + (found.field() + 1);
    warnings.add(
        "line "
            + found.line()
            + ": the quoted value of "
            + column
            + " runs to line "
            + found.lastLine()
            + " and holds "
            + found.recordLikeLines()
            + " lines shaped like records"
            + (found.values() > 1
                ? " (" + (found.values() - 1) + " more such value(s) follow)"
                : "")
            + ": a quote without its partner reads every line up to the next quote as one value;"
            + " if that happened, correct the file and load it again");
  }

  /** Things the user should know that did not fail the file. */
  List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** The rejects written by this reading, to tidy up after a commit. */
  Optional<RejectsWriter> rejects() {
    return Optional.ofNullable(rejects);
  }

  /**
   * Streams the file into its table within {@code transaction}.
   *
   * @return what the load does to the table once committed
   * @throws DataException when the file cannot load (bad shape, too many rejects)
   * @throws io.bucketload.core.csv.MalformedCsvException when its bytes cannot be read as CSV
   * @throws IOException when the file cannot be read from the source
   */
  LoadCounts into(LoadTransaction transaction) throws IOException {
    FileContext context =
        new FileContext(
            object.key(),
            object.name(),
            LocalDateTime.ofInstant(file.task().started(), ZoneOffset.UTC));
    CsvDialect format = input.format();
    SchemaSpec schema = input.schema();
    Optional<RecordSplitter> splitter = splitter(format, schema);
    Optional<RecordSplitter.Part> firstPart = Optional.empty();
    PartInput firstInput = null;
    try {
      if (splitter.isPresent()) {
        firstPart = splitter.get().next();
        firstInput = PartInput.open(splitter.get().bytes(), firstPart.orElseThrow());
        counted = new CountingInputStream(SourceStreams.guarded(firstInput, object.location()));
      } else {
        counted =
            new CountingInputStream(
                SourceStreams.guarded(run.source().open(object), object.location()));
      }
    } catch (IOException | RuntimeException e) {
      if (splitter.isPresent()) {
        splitter.get().close();
      }
      throw e;
    }
    try {
      try (CsvRowReader reader = CsvRowReader.open(counted, object.key(), format)) {
        Optional<RawRow> first =
            format.header() || schema.declaresColumns() ? Optional.empty() : reader.next();
        List<String> header = header(reader, first);
        boolean noRecords =
            format.header() ? reader.isEmpty() : !schema.declaresColumns() && first.isEmpty();
        if (noRecords) {
          emptyFile = true;
          warnings.add(emptyAfterSkipping(reader.linesSkipped()));
          if (!schema.declaresColumns()) {
            return emptyWithoutColumns(transaction);
          }
          header = schema.columns().stream().map(ColumnSpec::name).toList();
        }
        fieldNames = header;
        BoundSchema.invisibleCharacters(header).ifPresent(warnings::add);
        BoundSchema bound =
            BoundSchema.bind(header, schema, object.key(), defaulted(input), reader.headerLine());
        if (!bound.ignoredColumns().isEmpty()) {
          warnings.add(
              "columns not declared in schema.columns were not loaded: "
                  + String.join(", ", bound.ignoredColumns()));
        }
        RowShape shape = shape(bound, header);
        LoadPlan plan =
            plan(shape.columns().stream().map(TargetColumn::of).toList(), schema.declaresColumns());
        rejects =
            new RejectsWriter(run.outputs(), run.spec().source().rejectedFolder(), object, header);
        RowLimit limit = intoWorkspace ? RowLimit.NONE : run.target().rowLimit(plan);
        TableLoad load = transaction.load(plan);
        Optional<DirectRead> direct = directRead(reader, bound, shape);
        if (direct.isPresent() && load.readsDirectly(direct.get())) {
          rejects.finish();
          return loadedDirectly(load, direct.get(), plainFields(bound, shape));
        }
        boolean overLimit;
        RowPreparer preparer =
            new RowPreparer(
                header,
                bound,
                shape,
                limit,
                context,
                format.maxFieldChars(),
                format.maxRecordChars());
        try (ChunkWriter writer = new ChunkWriter(load, object.name())) {
          Intake intake =
              new Intake(
                  writer, reader.charset().equals(java.nio.charset.StandardCharsets.ISO_8859_1));
          if (splitter.isPresent()) {
            FileBytes bytes = splitter.get().bytes();
            PartReader local =
                new PartReader(
                    bytes,
                    object.key(),
                    object.location(),
                    format,
                    reader.charset(),
                    preparer,
                    plan.columns());
            FileParts elsewhere =
                new FileParts(
                    run.runId(),
                    input.name(),
                    header,
                    reader.headerLine(),
                    object.key(),
                    object.name(),
                    object.location(),
                    file.task().started(),
                    bytes instanceof LocalFileBytes localFile ? localFile.file().toString() : "",
                    bytes.size(),
                    bytes.pin(),
                    reader.charset().name(),
                    !intoWorkspace);
            PartReading reading = run.partReading();
            if (!reading.readsRanges() && !reading.stagesRows() && !preparer.readsLines()) {
              // Read on this process's threads, and nothing the rows hold depends on their lines:
              // each part is cut where its neighbours are, and numbered when those before it are.
              splitter.get().guessCuts(preparer.fieldCount());
            }
            Optional<RowStage> stage =
                reading.stagesRows() ? load.openStage() : Optional.<RowStage>empty();
            try (ParallelReading parts =
                new ParallelReading(
                    object.key(),
                    splitter.get(),
                    local,
                    reading.workers(elsewhere, local, stage))) {
              parts.start();
              for (Optional<PartRows> part =
                      parts.first(firstPart.orElseThrow(), reader, firstInput, first);
                  part.isPresent();
                  part = parts.next()) {
                intake.take(part.get());
              }
              parts.streamRest(intake).ifPresent(intake::noteRecordsInQuotes);
              partsBytes = splitter.get().size();
              // The parts end at the size the splitter found; a file whose size changed since it
              // was identified is refused as the reading on one thread refuses it.
              refuseChangedFile(partsBytes);
            }
          } else {
            if (first.isPresent()) {
              preparer.prepare(first.get(), intake);
            }
            prepareEach(reader, preparer, intake);
            reader.recordsInQuotes().ifPresent(intake::noteRecordsInQuotes);
            refuseChangedFile(counted.count());
          }
          overLimit = intake.finish();
          if (!overLimit) {
            writer.finish();
          }
          intake.controlCharactersLine().ifPresent(this::warnOfWindowsText);
          intake.recordsInQuotes().ifPresent(this::warnOfRecordsInQuotes);
        } finally {
          rejects.finish();
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
                  + rejects.location().map(path -> " (rejects: " + path + ")").orElse(""));
        }
        refuseSyncWithRejects();
        refuseEmptying(rowsRead - rowsRejected - rowsFiltered, rowsRead);
        LoadCounts counts = load.finish();
        if (!discard) {
          noteRepeatedKeys(counts);
        }
        return counts;
      }
    } finally {
      if (splitter.isPresent()) {
        splitter.get().close();
      }
    }
  }

  /**
   * Prepares every record left in {@code reader}, in file order. A method of its own: the JIT
   * compiles a loop of a method called once while the loop runs (on-stack replacement), and it
   * compiled all of {@link #into} for it, 1,693 bytes of bytecode, 0.13 s of the compilers' time in
   * a 1,000,000-row load, while the loop ran in the interpreter (docs/performance.md).
   */
  private static void prepareEach(CsvRowReader reader, RowPreparer preparer, Intake intake)
      throws IOException {
    for (Optional<ReadRecord> next = reader.nextRecord();
        next.isPresent();
        next = reader.nextRecord()) {
      preparer.prepare(next.get(), intake);
    }
  }

  /**
   * The file as the target may read it itself: when this reading allows it, and the file is local,
   * uncompressed UTF-8 in the plain dialect ({@link DirectRead}), loaded without transforms, and
   * every column is read in its type's default form (no {@code format}) of a type that has a plain
   * form ({@link PlainValues}: not {@code double}).
   */
  private Optional<DirectRead> directRead(CsvRowReader reader, BoundSchema bound, RowShape shape) {
    CsvDialect format = input.format();
    boolean plainDialect =
        !reader.compressed()
            && reader.charset().equals(java.nio.charset.StandardCharsets.UTF_8)
            && format.header()
            && format.headerRows() == 1
            && format.skipLines() == 0
            && format.delimiter().length() == 1
            && format.delimiter().charAt(0) < 0x80
            && format.quote() == '"'
            && format.nullValues().equals(Set.of(""))
            && format.bareQuotes() == CsvDialect.BareQuotes.REJECT
            && !format.trailingDelimiter();
    if (!directReads || !plainDialect || !input.transforms().isEmpty() || shape.filters()) {
      return Optional.empty();
    }
    Optional<java.nio.file.Path> path = run.source().localFile(object);
    if (path.isEmpty()) {
      return Optional.empty();
    }
    List<Integer> fields = new ArrayList<>();
    for (int i = 0; i < shape.columns().size(); i++) {
      int converted = shape.sourceOf(i);
      ColumnSpec column = shape.columns().get(i);
      if (converted < 0
          || column.format().isPresent()
          || column.type() == io.bucketload.core.schema.ColumnType.DOUBLE) {
        return Optional.empty();
      }
      fields.add(bound.fieldIndexOf(converted));
    }
    return Optional.of(
        new DirectRead(
            path.get(),
            format.delimiter().charAt(0),
            bound.fieldCount(),
            fields,
            format.maxFieldChars(),
            format.maxRecordChars()));
  }

  /**
   * What each field of the file's records must hold for another reader to load it as bucketload
   * would ({@link PlainValues}): each loaded column's plain form, any text for the others.
   */
  private static List<PlainValues.Field> plainFields(BoundSchema bound, RowShape shape) {
    List<PlainValues.Field> fields = new ArrayList<>();
    for (int f = 0; f < bound.fieldCount(); f++) {
      fields.add(PlainValues.Field.text());
    }
    for (int i = 0; i < shape.columns().size(); i++) {
      ColumnSpec column = shape.columns().get(i);
      PlainValues.Form form =
          switch (column.type()) {
            case STRING -> PlainValues.Form.TEXT;
            case INT, LONG -> PlainValues.Form.INTEGER;
            case DECIMAL -> PlainValues.Form.DECIMAL;
            case DATE -> PlainValues.Form.DATE;
            case TIMESTAMP -> PlainValues.Form.TIMESTAMP;
            case BOOLEAN -> PlainValues.Form.BOOLEAN;
            case DOUBLE -> throw new IllegalArgumentException("a double has no plain form here");
          };
      fields.set(
          bound.fieldIndexOf(shape.sourceOf(i)),
          new PlainValues.Field(form, column.precision(), column.scale(), column.required()));
    }
    return fields;
  }

  /**
   * Has the target read the file itself while this thread checks that every value is in its plain
   * form, which the target's reader reads as bucketload's does; then the checks of a file read by
   * bucketload.
   */
  private LoadCounts loadedDirectly(TableLoad load, DirectRead read, List<PlainValues.Field> fields)
      throws IOException {
    Alongside<Boolean> plain =
        Alongside.start(
            "bucketload-plain-values",
            () -> {
              boolean plainValues =
                  PlainValues.check(read.file(), read.delimiter(), fields, read.maxFieldChars());
              if (!plainValues) {
                load.stopReading();
              }
              return plainValues;
            });
    long records;
    try {
      records = load.readDirectly(read, bytes -> run.listener().progress(object, -1, bytes));
    } catch (RuntimeException e) {
      plain.cancel();
      throw e;
    }
    if (!plain.result("checking the file's values")) {
      throw new DirectReadDeclined(
          object.key() + ": a value is not in its plain form, or a record not in plain CSV", null);
    }
    rowsRead = records;
    partsBytes = java.nio.file.Files.size(read.file());
    refuseChangedFile(partsBytes);
    run.listener().progress(object, rowsRead, partsBytes);
    refuseEmptying(records, records);
    LoadCounts counts = load.finish();
    noteRepeatedKeys(counts);
    return counts;
  }

  /**
   * In {@code sync} a rejected row's key is in the file, yet its row would be deleted as absent
   * from the loaded rows: a customer gone for one bad value. The file fails instead, whatever
   * {@code rejects.max} allows.
   */
  private void refuseSyncWithRejects() {
    if (input.mode() != LoadMode.SYNC || rowsRejected == 0) {
      return;
    }
    throw new DataException(
        object.key()
            + ": "
            + rowsRejected
            + (rowsRejected == 1 ? " row rejected" : " rows rejected")
            + " (first at line "
            + firstRejectedLine
            + "); mode sync would delete the rows of their keys from table "
            + input.table()
            + ", though the keys are in the file. Nothing was loaded: correct the rows"
            + rejects.location().map(path -> " (rejects: " + path + ")").orElse("")
            + ", or load with mode upsert, which deletes nothing");
  }

  /**
   * A keyless {@code replace} whose every row the table skipped (a trigger returned no row for
   * each) emptied it, as a file without rows would: refused the same way, unless {@code
   * target.allow_empty}. Thrown before the commit, so the table keeps its rows. (The modes that
   * merge by key count keys as loaded, not what the table wrote, so they are not judged here; a
   * sync whose rows a trigger skipped is refused by the target.)
   */
  private void refuseEmptiedByTheTable(LoadCounts counts) {
    LoadMode mode = input.mode();
    if (counts.skipped() == 0
        || counts.loaded() > 0
        || (mode != LoadMode.REPLACE && mode != LoadMode.SYNC)
        || run.spec().target().allowEmpty()) {
      return;
    }
    throw new DataException(
        object.key()
            + ": no rows loaded (the table skipped all "
            + counts.skipped()
            + ": a trigger on it returned no row for them); mode "
            + mode.configName()
            + " would empty table "
            + input.table()
            + ". Refused: set target.allow_empty: true when that may empty the table");
  }

  /**
   * A file without rows in {@code replace} or {@code sync} would empty the table: the classic way a
   * broken export wipes a table. Refused unless {@code target.allow_empty}.
   */
  private void refuseEmptying(long accepted, long read) {
    LoadMode mode = input.mode();
    if (accepted > 0 || (mode != LoadMode.REPLACE && mode != LoadMode.SYNC)) {
      if (read == 0 && accepted == 0 && !emptyFile) {
        warnings.add("the file has no rows; nothing was loaded");
      }
      return;
    }
    if (run.spec().target().allowEmpty()) {
      warnings.add(
          "the file has no rows to load; mode "
              + mode.configName()
              + " emptied table "
              + input.table()
              + " (target.allow_empty: true)");
      return;
    }
    throw new DataException(
        object.key()
            + ": no rows to load ("
            + (read == 0
                ? "the file has none"
                : rowsRejected == 0
                    ? "the filter dropped every row"
                    : rowsFiltered == 0
                        ? "every row was rejected"
                        : "every row was rejected or dropped by the filter")
            + "); mode "
            + mode.configName()
            + " would empty table "
            + input.table()
            + ". Refused: set target.allow_empty: true when an empty file means an empty table");
  }

  /**
   * A file with no record at all and no declared columns: nothing reaches a table, but the version
   * is recorded as loaded with 0 rows (in {@code replace} and {@code sync}, refused: without
   * columns the table cannot be emptied either).
   */
  private LoadCounts emptyWithoutColumns(LoadTransaction transaction) {
    if (intoWorkspace) {
      throw new DataException(
          object.key()
              + ": the file is empty and input "
              + input.name()
              + " declares no schema.columns, so the sql step's table "
              + input.table()
              + " has no columns; declare them to load an empty file");
    }
    if (input.mode() == LoadMode.REPLACE || input.mode() == LoadMode.SYNC) {
      if (!run.spec().target().allowEmpty()) {
        refuseEmptying(0, 0);
      }
      throw new DataException(
          object.key()
              + ": the file is empty and the pipeline declares no schema.columns; mode "
              + input.mode().configName()
              + " cannot empty table "
              + input.table()
              + " without them");
    }
    return transaction.load(plan(List.of(), false)).finish();
  }

  private LoadPlan plan(List<TargetColumn> columns, boolean declared) {
    return new LoadPlan(
        run.spec().name(),
        run.runId(),
        file.version(),
        input.table(),
        input.mode(),
        columns,
        input.schema().key(),
        declared,
        file.supersedes());
  }

  private RowShape shape(BoundSchema bound, List<String> header) {
    try {
      return RowShape.compile(
          bound.columns(),
          input.transforms(),
          input.schema().key(),
          !input.schema().declaresColumns());
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
  }

  /** The columns a {@code default} transform of {@code input} adds to files that lack them. */
  static Set<String> defaulted(InputSpec input) {
    Set<String> names = new HashSet<>();
    for (TransformStep step : input.transforms()) {
      if (step instanceof TransformStep.Default defaults) {
        names.addAll(defaults.columns().keySet());
      }
    }
    return names;
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

  /**
   * A splitter of the file when several workers can read its parts (see {@link RecordSplitter}):
   * the run's {@link PartReading} has more than one, and the file is local, or an object whose
   * ranges the source reads and the parts are read elsewhere ({@link PartReading#readsRanges()}).
   */
  private Optional<RecordSplitter> splitter(CsvDialect format, SchemaSpec schema)
      throws IOException {
    if (run.partReading().inFlight() < 2) {
      return Optional.empty();
    }
    Optional<FileBytes> bytes = run.source().bytes(object, "");
    if (bytes.isEmpty() || !(bytes.get().local() || run.partReading().readsRanges())) {
      return Optional.empty();
    }
    return RecordSplitter.open(
        bytes.get(),
        format,
        run.partReading().partBytes(),
        !format.header() && !schema.declaresColumns());
  }

  /**
   * Takes what became of the records, in file order: counts them, hands accepted rows to the writer
   * in chunks (until the reject limit is passed), writes rejects.
   */
  private final class Intake implements RowPreparer.Outcomes {
    private final ChunkWriter writer;
    private RowChunk chunk = new RowChunk(CHUNK_ROWS);
    private boolean overLimit;
    private boolean watchControls;
    private long controlsLine;
    private RecordsInQuotes recordsInQuotes;

    /**
     * @param watchControls whether to look for the C1 control characters (U+0080 to U+009F) in
     *     text: read as ISO-8859-1, a file written as windows-1252 has its euro signs, curly quotes
     *     and dashes there
     */
    Intake(ChunkWriter writer, boolean watchControls) {
      this.writer = writer;
      this.watchControls = watchControls;
    }

    /** Keeps the earliest quoted value holding lines shaped like records, counting them all. */
    void noteRecordsInQuotes(RecordsInQuotes found) {
      recordsInQuotes = recordsInQuotes == null ? found : recordsInQuotes.merge(found);
    }

    Optional<RecordsInQuotes> recordsInQuotes() {
      return Optional.ofNullable(recordsInQuotes);
    }

    /** The first line whose text holds a C1 control character, when looked for and found. */
    Optional<Long> controlCharactersLine() {
      return controlsLine > 0 ? Optional.of(controlsLine) : Optional.empty();
    }

    private void watch(Object[] values, long line) {
      for (Object value : values) {
        if (value instanceof String text) {
          for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '\u0080' && c <= '\u009f') {
              controlsLine = line;
              watchControls = false;
              return;
            }
          }
        }
      }
    }

    @Override
    public void accepted(Object[] values, long line) {
      if (watchControls) {
        watch(values, line);
      }
      rowsRead++;
      if (!overLimit && chunk.add(values, line)) {
        writer.submit(chunk);
        chunk = new RowChunk(CHUNK_ROWS);
        run.listener().progress(object, rowsRead, bytesRead());
      }
    }

    @Override
    public void filtered() {
      rowsRead++;
      rowsFiltered++;
    }

    @Override
    public void rejected(RawRow row, RowRejected rejected) throws IOException {
      rowsRead++;
      rowsRejected++;
      if (firstRejectedLine == 0) {
        firstRejectedLine = row.line();
      }
      for (RowRejected.Problem problem : rejected.problems()) {
        rejects.write(row, problem.column(), problem.value(), problem.reason());
        tally.add(row.line(), problem.column(), problem.value(), problem.reason());
      }
      overLimit |= input.rejects().exceededAlready(rowsRejected);
    }

    /** Takes a part read on another thread; rethrows what stopped its reading. */
    void take(PartRows part) throws IOException {
      part.recordsInQuotes().ifPresent(this::noteRecordsInQuotes);
      for (PartRows.Reject reject : part.rejects()) {
        rejected(reject.row(), reject.rejected());
      }
      rowsRead += part.read() - part.rejects().size();
      rowsFiltered += part.filteredCount();
      if (!overLimit) {
        if (chunk.size() > 0) {
          writer.submit(chunk);
          chunk = new RowChunk(CHUNK_ROWS);
        }
        for (RowChunk rows : part.chunks()) {
          for (int r = 0; watchControls && r < rows.size(); r++) {
            watch(rows.row(r), rows.line(r));
          }
          writer.submit(rows);
        }
        part.staged().ifPresent(writer::submitStaged);
      }
      partsBytes = part.part().end();
      run.listener().progress(object, rowsRead, partsBytes);
      Optional<Exception> failure = part.failure();
      if (failure.isPresent()) {
        if (failure.get() instanceof IOException io) {
          throw io;
        }
        throw (RuntimeException) failure.get();
      }
    }

    /** Hands the last rows over; returns whether the reject limit was passed. */
    boolean finish() {
      if (!overLimit && chunk.size() > 0) {
        writer.submit(chunk);
      }
      run.listener().progress(object, rowsRead, bytesRead());
      return overLimit;
    }
  }
}
