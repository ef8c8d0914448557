package io.bucketload.core.run;

import io.bucketload.core.csv.RawRow;
import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.schema.RowRejected;
import io.bucketload.core.target.RowChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What reading one part of a file made of its records, kept until the parts before it are taken:
 * its accepted rows in chunks, its rejects, how many it filtered, in record order, and the failure
 * that stopped its reading, if one did. Filled by one thread, then handed over.
 */
final class PartRows implements RowPreparer.Outcomes {
  /** A rejected record with its reasons. */
  record Reject(RawRow row, RowRejected rejected) {}

  private final RecordSplitter.Part part;
  private final List<RowChunk> chunks = new ArrayList<>();
  private final List<Reject> rejects = new ArrayList<>();
  private RowChunk chunk;
  private long read;
  private long filtered;
  private Exception failure;
  private boolean failedAtEnd;

  PartRows(RecordSplitter.Part part) {
    this.part = part;
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
