package io.bucketload.core.run;

import io.bucketload.core.csv.CsvRowReader;
import io.bucketload.core.csv.PartInput;
import io.bucketload.core.csv.RawRow;
import io.bucketload.core.csv.ReadRecord;
import io.bucketload.core.csv.RecordSplitter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Reads the parts of one local file ({@link RecordSplitter}) with several workers ({@link
 * PartReading}: threads, or a cluster's executors), each part read, converted and checked on its
 * own, and hands their outcomes over in file order, so that everything after the reading (the order
 * of rows, which of a key's rows is last, the rejects file) is as if one thread had read the file.
 * At most {@link PartReading.Workers#inFlight()} {@code + 1} parts are held at once (one being
 * handed over); a tail the splitter did not cut is read as it streams, never held.
 *
 * <p>A part whose reading failed after all its bytes were read may have been cut inside a record
 * (the splitter places quotes as a well-formed file has them): it is read again with the next part
 * as one, on the calling thread, until the reading ends cleanly or fails before its end, which is
 * then the file's own failure, on the same line as when one thread reads the file. Not thread-safe:
 * one caller takes the parts.
 */
final class ParallelReading implements AutoCloseable {
  private record Pending(RecordSplitter.Part part, Future<PartRows> rows) {}

  private final String fileName;
  private final RecordSplitter splitter;
  private final PartReader reader;
  private final PartReading.Workers workers;
  private final int inFlight;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /** What is left to read as it streams, once the parts held are taken; null while nothing is. */
  private RecordSplitter.Part rest;

  private int rereads;

  /**
   * The line breaks before the next part to hand over, once known: for the parts of a splitter that
   * {@linkplain RecordSplitter#guessCuts(int) guesses its cuts}, whose readers count lines from the
   * part's start.
   */
  private long linesNext = RecordSplitter.UNKNOWN_LINES;

  /**
   * @param reader reads parts on the calling thread (the first, those read again, the rest)
   * @param workers read the other parts, {@link PartReading.Workers#inFlight()} at once
   */
  ParallelReading(
      String fileName, RecordSplitter splitter, PartReader reader, PartReading.Workers workers) {
    this.fileName = fileName;
    this.splitter = splitter;
    this.reader = reader;
    this.workers = workers;
    this.inFlight = workers.inFlight();
  }

  /** Starts reading the parts after the first on the workers. */
  void start() throws IOException {
    fill();
  }

  /**
   * Reads the rest of the first part from {@code first}'s reader, which has read its header (and
   * {@code first}, a record already read that is data), on the calling thread. Empty when the file
   * is to be read from its start as it streams ({@link #streamRest}): when the first part is the
   * file's uncut tail, or is in doubt and followed by it.
   */
  Optional<PartRows> first(
      RecordSplitter.Part part, CsvRowReader csv, PartInput input, Optional<RawRow> first)
      throws IOException {
    if (part.tail()) {
      // No record ended early enough to cut: the whole file streams, never held.
      rest = part;
      return Optional.empty();
    }
    PartRows rows = new PartRows(part);
    if (first.isPresent()) {
      reader.preparer().prepare(first.get(), rows);
    }
    reader.readRecords(csv, input, rows);
    Optional<PartRows> settled = settle(rows);
    if (settled.isPresent()) {
      counted(settled.get());
    }
    return settled;
  }

  /**
   * The outcome of the next part in file order; empty after the last part held, when what is left
   * is read as it streams ({@link #streamRest}).
   *
   * @throws IOException when the file cannot be read
   */
  Optional<PartRows> next() throws IOException {
    fill();
    Pending head = pending.poll();
    if (head == null) {
      return Optional.empty();
    }
    fill();
    PartRows rows = await(head);
    boolean numberedAlone = !rows.part().linesKnown();
    if (numberedAlone) {
      rows.placeAfter(linesNext);
    }
    Optional<PartRows> settled = settle(rows);
    if (numberedAlone
        && settled.isPresent()
        && settled.get() == rows
        && rows.failure().orElse(null) instanceof io.bucketload.core.csv.MalformedCsvException) {
      // The file's failure, in a part numbered from its own start: read again with the file's
      // lines, so that the failure names its line as one thread's reading does.
      settled = Optional.of(reader.read(rows.part()));
    }
    if (settled.isPresent()) {
      counted(settled.get());
    }
    return settled;
  }

  /**
   * Notes the lines before the part after {@code rows}, whose lines are known, when the parts after
   * the next are numbered from their own start: its own lines before and the line breaks it holds,
   * counted again from its bytes when its reader could not count them.
   */
  private void counted(PartRows rows) throws IOException {
    if (!splitter.guessesCuts() || rows.failure().isPresent()) {
      // Every part's lines are known, or the file's reading ends with this part.
      return;
    }
    RecordSplitter.Part part = rows.part();
    java.util.OptionalLong breaks = rows.lineBreaks();
    linesNext =
        part.linesBefore()
            + (breaks.isPresent()
                ? breaks.getAsLong()
                : RecordSplitter.lineBreaks(splitter.bytes(), part.start(), part.end()));
  }

  /** How many times a part was read again with the next one. */
  int rereads() {
    return rereads;
  }

  /**
   * Reads what is left after the parts {@link #next} gave, if anything is, on the calling thread as
   * it streams: a tail the splitter did not cut ({@link RecordSplitter.Part#tail()}), or the parts
   * from one in doubt onwards when a tail follows it. Each record goes to {@code outcomes}.
   *
   * @return the first quoted value of what was read that holds lines shaped like records
   * @throws IOException when the file cannot be read
   */
  Optional<io.bucketload.core.csv.RecordsInQuotes> streamRest(RowPreparer.Outcomes outcomes)
      throws IOException {
    if (rest == null) {
      return Optional.empty();
    }
    RecordSplitter.Part part = rest.linesKnown() ? rest : rest.withLinesBefore(linesNext);
    rest = null;
    PartInput input = PartInput.open(splitter.bytes(), part);
    try (CsvRowReader csv = reader.open(part, input)) {
      for (Optional<ReadRecord> record = csv.nextRecord();
          record.isPresent();
          record = csv.nextRecord()) {
        reader.preparer().prepare(record.get(), outcomes);
      }
      return csv.recordsInQuotes();
    }
  }

  /**
   * Reads a part and the parts after it as one until its reading is no longer in doubt; empty when
   * a tail follows, so that the rest is read as it streams from this part on.
   */
  private Optional<PartRows> settle(PartRows rows) throws IOException {
    while (rows.inDoubt()) {
      if (rows.part().end() - rows.part().start() >= splitter.maxPartBytes()) {
        // Cut wrongly again and again (a file whose quotes mislead the splitter, or a quote never
        // closed): the rest streams from this part on, instead of being read again part by part.
        pending.forEach(abandoned -> abandoned.rows().cancel(true));
        pending.clear();
        rest = splitter.restFrom(rows.part());
        return Optional.empty();
      }
      RecordSplitter.Part after = takeNextPart();
      if (after.tail()) {
        rest = rows.part().through(after);
        return Optional.empty();
      }
      rereads++;
      rows = reader.read(rows.part().through(after));
    }
    return Optional.of(rows);
  }

  private RecordSplitter.Part takeNextPart() throws IOException {
    Pending next = pending.poll();
    if (next != null) {
      next.rows().cancel(true);
      return next.part();
    }
    if (rest != null) {
      RecordSplitter.Part tail = rest;
      rest = null;
      return tail;
    }
    return splitter
        .next()
        .orElseThrow(() -> new IllegalStateException("a part that is not last has a successor"));
  }

  /**
   * Hands parts to the workers until {@code inFlight} are pending; a tail is kept for the caller.
   */
  private void fill() throws IOException {
    while (pending.size() < inFlight && rest == null) {
      Optional<RecordSplitter.Part> part = splitter.next();
      if (part.isEmpty()) {
        return;
      }
      RecordSplitter.Part taken = part.get();
      if (taken.tail()) {
        rest = taken;
        return;
      }
      pending.add(new Pending(taken, workers.read(taken)));
    }
  }

  private PartRows await(Pending head) throws IOException {
    try {
      return head.rows().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading " + fileName);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Stops the workers; parts still being read are abandoned. Never throws. */
  @Override
  public void close() {
    workers.close();
    try {
      splitter.close();
    } catch (IOException e) {
      // Only a read handle: nothing to lose.
    }
  }
}
