package io.bucketload.core.run;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.csv.CsvRowReader;
import io.bucketload.core.csv.PartInput;
import io.bucketload.core.csv.ReadRecord;
import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.source.FileBytes;
import io.bucketload.core.source.SourceStreams;
import io.bucketload.core.target.TargetColumn;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Optional;

/**
 * Reads one part of a file ({@link RecordSplitter.Part}) into its {@link PartRows}: each record
 * read, converted and checked as the whole file's reading would. Thread-safe: every call reads on
 * its own.
 */
public final class PartReader {
  private final FileBytes file;
  private final String fileName;
  private final String location;
  private final CsvDialect format;
  private final Charset charset;
  private final RowPreparer preparer;
  private final List<TargetColumn> columns;

  PartReader(
      FileBytes file,
      String fileName,
      String location,
      CsvDialect format,
      Charset charset,
      RowPreparer preparer,
      List<TargetColumn> columns) {
    this.file = file;
    this.fileName = fileName;
    this.location = location;
    this.format = format;
    this.charset = charset;
    this.preparer = preparer;
    this.columns = List.copyOf(columns);
  }

  /** The columns of the rows read, in the order of their values. */
  List<TargetColumn> columns() {
    return columns;
  }

  /** The file's name, for messages. */
  String fileName() {
    return fileName;
  }

  /** The preparer of every record. */
  RowPreparer preparer() {
    return preparer;
  }

  /**
   * Reads {@code part} (or parts read as one); a failure to read or parse is kept in the outcome,
   * never thrown. A part whose lines before are not known ({@link
   * RecordSplitter.Part#linesKnown()}) is numbered from its own start, to be {@linkplain
   * PartRows#placeAfter placed} once they are.
   *
   * @throws IOException when the file cannot be opened
   */
  public PartRows read(RecordSplitter.Part part) throws IOException {
    PartRows rows = new PartRows(part);
    PartInput input = PartInput.open(file, part);
    CsvRowReader reader;
    try {
      reader = open(part, input);
    } catch (RuntimeException e) {
      rows.failed(e, input.ended());
      input.close();
      return rows;
    }
    try (reader) {
      readRecords(reader, input, rows);
    }
    return rows;
  }

  /** A reader of a part; a first part is opened as the file's start is, header and all. */
  CsvRowReader open(RecordSplitter.Part part, PartInput input) throws IOException {
    return part.index() == 0
        ? CsvRowReader.open(SourceStreams.guarded(input, location), fileName, format)
        : CsvRowReader.openPart(
            SourceStreams.guarded(input, location),
            fileName,
            format,
            charset,
            part.linesKnown() ? part.linesBefore() : 0,
            part.end() - part.start(),
            input.afterBlankLine() ? 0 : preparer.fieldCount());
  }

  /** Reads the records left in {@code reader} into {@code rows}, keeping what stops it. */
  void readRecords(CsvRowReader reader, PartInput input, PartRows rows) {
    try {
      long count = 0;
      for (Optional<ReadRecord> record = reader.nextRecord();
          record.isPresent();
          record = reader.nextRecord()) {
        preparer.prepare(record.get(), rows);
        if ((++count & 1023) == 0 && Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("reading " + fileName + " was abandoned");
        }
      }
      rows.recordsInQuotes(reader.recordsInQuotes());
      java.util.OptionalLong breaks = reader.lineBreaksRead();
      if (breaks.isPresent()) {
        rows.lineBreaks(breaks.getAsLong());
      } else if (!rows.part().linesKnown()) {
        // The text parser read some of the part: its line breaks are counted here, beside the
        // other parts, instead of on the thread that takes them.
        rows.lineBreaks(RecordSplitter.lineBreaks(file, rows.part().start(), rows.part().end()));
      }
    } catch (RuntimeException | IOException e) {
      rows.failed(e, input.ended());
    }
  }
}
