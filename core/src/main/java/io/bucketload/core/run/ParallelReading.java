package io.bucketload.core.run;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.csv.CsvRowReader;
import io.bucketload.core.csv.PartInput;
import io.bucketload.core.csv.RawRow;
import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.source.SourceStreams;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Reads the parts of one local file ({@link RecordSplitter}) on several threads, each part read,
 * converted and checked by its own thread, and hands their outcomes over in file order, so that
 * everything after the reading (the order of rows, which of a key's rows is last, the rejects file)
 * is as if one thread had read the file. At most {@code threads + 1} parts are held at once (one
 * being handed over); a tail the splitter did not cut is read as it streams, never held.
 *
 * <p>A part whose reading failed after all its bytes were read may have been cut inside a record
 * (the splitter places quotes as a well-formed file has them): it is read again with the next part
 * as one, on the calling thread, until the reading ends cleanly or fails before its end, which is
 * then the file's own failure, on the same line as when one thread reads the file. Not thread-safe:
 * one caller takes the parts.
 */
final class ParallelReading implements AutoCloseable {
  /** The size a part reaches before it ends at the next record's end. */
  static final long PART_BYTES = 1L << 20;

  private record Pending(RecordSplitter.Part part, Future<PartRows> rows) {}

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Path file;
  private final String fileName;
  private final String location;
  private final CsvDialect format;
  private final Charset charset;
  private final RecordSplitter splitter;
  private final RowPreparer preparer;
  private final int inFlight;
  private final ExecutorService workers;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /** What is left to read as it streams, once the parts held are taken; null while nothing is. */
  private RecordSplitter.Part rest;

  private int rereads;

  ParallelReading(
      Path file,
      String fileName,
      String location,
      CsvDialect format,
      Charset charset,
      RecordSplitter splitter,
      RowPreparer preparer,
      int threads) {
    this.file = file;
    this.fileName = fileName;
    this.location = location;
    this.format = format;
    this.charset = charset;
    this.splitter = splitter;
    this.preparer = preparer;
    this.inFlight = threads;
    int pool = POOLS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread =
                  new Thread(task, "bucketload-read-" + pool + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts reading the parts after the first on the worker threads. */
  void start() throws IOException {
    fill();
  }

  /**
   * Reads the rest of the first part from {@code reader}, which has read its header (and {@code
   * first}, a record already read that is data), on the calling thread. Empty when the file is to
   * be read from its start as it streams ({@link #streamRest}): when the first part is the file's
   * uncut tail, or is in doubt and followed by it.
   */
  Optional<PartRows> first(
      RecordSplitter.Part part, CsvRowReader reader, PartInput input, Optional<RawRow> first)
      throws IOException {
    if (part.tail()) {
      // No record ended early enough to cut: the whole file streams, never held.
      rest = part;
      return Optional.empty();
    }
    PartRows rows = new PartRows(part);
    if (first.isPresent()) {
      preparer.prepare(first.get(), rows);
    }
    readRecords(reader, input, rows);
    return settle(rows);
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
    return settle(await(head));
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
   * @throws IOException when the file cannot be read
   */
  void streamRest(RowPreparer.Outcomes outcomes) throws IOException {
    if (rest == null) {
      return;
    }
    RecordSplitter.Part part = rest;
    rest = null;
    PartInput input = PartInput.open(file, part);
    try (CsvRowReader reader = open(part, input)) {
      for (Optional<RawRow> row = reader.next(); row.isPresent(); row = reader.next()) {
        preparer.prepare(row.get(), outcomes);
      }
    }
  }

  /**
   * Reads a part and the parts after it as one until its reading is no longer in doubt; empty when
   * a tail follows, so that the rest is read as it streams from this part on.
   */
  private Optional<PartRows> settle(PartRows rows) throws IOException {
    while (rows.inDoubt()) {
      RecordSplitter.Part after = takeNextPart();
      if (after.tail()) {
        rest = rows.part().through(after);
        return Optional.empty();
      }
      rereads++;
      rows = read(rows.part().through(after));
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
   * Hands parts to the workers until {@code threads} are pending; a tail is kept for the caller.
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
      pending.add(new Pending(taken, workers.submit(() -> read(taken))));
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

  /** Reads one part (or merged parts) into its outcome. */
  private PartRows read(RecordSplitter.Part part) throws IOException {
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
  private CsvRowReader open(RecordSplitter.Part part, PartInput input) throws IOException {
    return part.index() == 0
        ? CsvRowReader.open(SourceStreams.guarded(input, location), fileName, format)
        : CsvRowReader.openPart(
            SourceStreams.guarded(input, location), fileName, format, charset, part.linesBefore());
  }

  private void readRecords(CsvRowReader reader, PartInput input, PartRows rows) {
    try {
      long count = 0;
      for (Optional<RawRow> row = reader.next(); row.isPresent(); row = reader.next()) {
        preparer.prepare(row.get(), rows);
        if ((++count & 1023) == 0 && Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("reading " + fileName + " was abandoned");
        }
      }
    } catch (RuntimeException | IOException e) {
      rows.failed(e, input.ended());
    }
  }

  /** Stops the worker threads; parts still being read are abandoned. Never throws. */
  @Override
  public void close() {
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        LoggerFactory.getLogger(ParallelReading.class)
            .warn("{}: reading threads still busy 10 s after the file was done", fileName);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      splitter.close();
    } catch (IOException e) {
      // Only a read handle: nothing to lose.
    }
  }
}
