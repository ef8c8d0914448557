package io.bucketload.core.run;

import io.bucketload.core.csv.RawRow;
import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.csv.RecordsInQuotes;
import io.bucketload.core.error.Fault;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.schema.RowRejected;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.RowStage;
import io.bucketload.core.target.StageWriter;
import io.bucketload.core.target.StagedRows;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What reading one part of a file made of its records, kept until the parts before it are taken:
 * its accepted rows in chunks, its rejects, how many it filtered, in record order, and the failure
 * that stopped its reading, if one did. Filled by one thread, then handed over, possibly from
 * another process (it serializes: a cluster's executor reads parts for the process that loads the
 * file, see {@link PartReading}).
 */
public final class PartRows implements RowPreparer.Outcomes, Serializable {
  private static final long serialVersionUID = 1L;

  /** A rejected record with its reasons. */
  record Reject(RawRow row, RowRejected rejected) {}

  private RecordSplitter.Part part;

  /**
   * The line breaks the part holds, once read without a failure by a reader that counted them; -1
   * until then.
   */
  private long lineBreaks = -1;

  private final ArrayList<RowChunk> chunks = new ArrayList<>();
  private transient List<Reject> rejects = new ArrayList<>();
  private transient RowChunk chunk;
  private long read;
  private long filtered;
  private Exception failure;
  private boolean failedAtEnd;

  /** The part's first quoted value holding lines shaped like records; else null. */
  private RecordsInQuotes recordsInQuotes;

  /** Where the accepted rows went when they were written to a stage, not kept here; else null. */
  private StagedRows staged;

  /** The rejected records in serialized form: their lines, fields, limits and defects. */
  private record SerialReject(
      long line,
      String[] fields,
      RawRow.Oversize oversize,
      RawRow.Defect defect,
      List<RowRejected.Problem> problems)
      implements Serializable {}

  PartRows(RecordSplitter.Part part) {
    this.part = part;
  }

  /** Keeps what the part's reader found of quoted values holding lines shaped like records. */
  void recordsInQuotes(java.util.Optional<RecordsInQuotes> found) {
    recordsInQuotes = found.orElse(null);
  }

  /** The part's first quoted value holding lines shaped like records, if any. */
  java.util.Optional<RecordsInQuotes> recordsInQuotes() {
    return java.util.Optional.ofNullable(recordsInQuotes);
  }

  @Serial
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    ArrayList<SerialReject> serial = new ArrayList<>(rejects.size());
    for (Reject reject : rejects) {
      RawRow row = reject.row();
      serial.add(
          new SerialReject(
              row.line(),
              row.fields(),
              row.oversize(),
              row.defect().orElse(null),
              new ArrayList<>(reject.rejected().problems())));
    }
    out.writeObject(serial);
  }

  @Serial
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    rejects = new ArrayList<>();
    for (Object item : (List<?>) in.readObject()) {
      SerialReject reject = (SerialReject) item;
      rejects.add(
          new Reject(
              new RawRow(
                  reject.line(),
                  reject.fields(),
                  reject.oversize(),
                  Optional.ofNullable(reject.defect())),
              new RowRejected(reject.problems())));
    }
  }

  @Override
  public void accepted(Object[] values, long line) {
    read++;
    if (chunk == null) {
      chunk = new RowChunk(FileReading.CHUNK_ROWS);
      chunks.add(chunk);
    }
    if (chunk.add(values, line)) {
      chunk = null;
    }
  }

  @Override
  public void filtered() {
    read++;
    filtered++;
  }

  @Override
  public void rejected(RawRow row, RowRejected rejected) {
    read++;
    rejects.add(new Reject(row, rejected));
  }

  /**
   * Reading stopped on {@code e}; {@code atEnd} when the part's bytes had all been read by then, so
   * that the part may have been cut inside a record.
   */
  void failed(Exception e, boolean atEnd) {
    this.failure = e;
    this.failedAtEnd = atEnd;
  }

  /**
   * Writes the accepted rows to {@code stage} with {@code writer} and keeps only what was written
   * ({@link #staged()}), when the reading did not fail; a part whose reading failed is read again
   * by the loading process, or fails the file: nothing is written, and its rows are dropped. A
   * value the target refuses fails the part as the file's reading would (kept in the outcome,
   * thrown by the loading process when it takes the part).
   *
   * @param attempt this attempt at the part, unique among the attempts at every part of the run
   * @throws IllegalStateException when the stage's columns are not those of the rows (the pipeline
   *     was changed between the loading process's reading and this one)
   * @throws io.bucketload.core.error.TargetException when the target fails
   */
  public void stage(StageWriter writer, RowStage stage, long attempt, PartReader reader) {
    if (staged != null) {
      return;
    }
    if (failure != null) {
      chunks.clear();
      return;
    }
    if (!stage.columns().equals(reader.columns())) {
      throw new IllegalStateException(
          reader.fileName()
              + ": the pipeline's columns changed while the file loads; the next run loads it");
    }
    try {
      staged = writer.write(stage, part.index(), attempt, chunks);
    } catch (TargetException e) {
      if (e.fault() != Fault.DATA) {
        throw e;
      }
      failed(e, false);
    }
    chunks.clear();
  }

  /** Where the accepted rows were written, when they were written to a stage. */
  public Optional<StagedRows> staged() {
    return Optional.ofNullable(staged);
  }

  /** Keeps how many line breaks the part holds, once read without a failure. */
  void lineBreaks(long count) {
    lineBreaks = count;
  }

  /**
   * The line breaks the part holds (LF, CR and CR LF each one), when it was read without a failure
   * by a reader that counted them (see {@link
   * io.bucketload.core.csv.CsvRowReader#lineBreaksRead()}).
   */
  java.util.OptionalLong lineBreaks() {
    return lineBreaks < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(lineBreaks);
  }

  /**
   * Numbers the rows, rejects and quoted values of a part read with its lines counted from its own
   * start ({@link RecordSplitter.Part#linesKnown()} false) as lines of the file: {@code
   * linesBefore} is the number of line breaks before the part.
   *
   * @throws IllegalStateException when the part's lines were known when it was read
   */
  void placeAfter(long linesBefore) {
    if (part.linesKnown() || linesBefore < 0) {
      throw new IllegalStateException(
          "a part numbered from its own start is placed after known lines, once");
    }
    part = part.withLinesBefore(linesBefore);
    for (RowChunk rows : chunks) {
      rows.shiftLines(linesBefore);
    }
    rejects.replaceAll(
        reject -> {
          RawRow row = reject.row();
          return new Reject(
              new RawRow(row.line() + linesBefore, row.fields(), row.oversize(), row.defect()),
              reject.rejected());
        });
    if (recordsInQuotes != null) {
      RecordsInQuotes found = recordsInQuotes;
      recordsInQuotes =
          new RecordsInQuotes(
              found.line() + linesBefore,
              found.field(),
              found.recordLikeLines(),
              found.lastLine() + linesBefore,
              found.values());
    }
  }

  /** The byte range read. */
  RecordSplitter.Part part() {
    return part;
  }

  /** The accepted rows, in order. */
  List<RowChunk> chunks() {
    return chunks;
  }

  /** The rejects, in order. */
  List<Reject> rejects() {
    return rejects;
  }

  /** Records read, accepted or not. */
  long read() {
    return read;
  }

  /** Records a filter dropped. */
  long filteredCount() {
    return filtered;
  }

  /** What stopped the reading of this part, if anything did. */
  Optional<Exception> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Whether the part's reading failed once its bytes were all read: the part may end inside a
   * record, and must be read again together with the next part (unless it is the last).
   */
  boolean inDoubt() {
    return failure instanceof io.bucketload.core.csv.MalformedCsvException
        && failedAtEnd
        && !part.last();
  }
}
