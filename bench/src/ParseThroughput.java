import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.csv.CsvRowReader;
import io.bucketload.core.csv.PartInput;
import io.bucketload.core.csv.ReadRecord;
import io.bucketload.core.csv.RecordBytes;
import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.schema.BoundSchema;
import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.schema.SchemaSpec;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Parse+convert throughput against plain reads of the same file: reading it line by line with a
 * BufferedReader (the plain read), and decoding it in bulk without looking at lines (the I/O and
 * decoding floor). Parse+convert is what a load does to each record: CsvRowReader's records,
 * converted from their bytes when the reader read them as bytes, else from their text. Then the
 * same in parts on one thread per core, as {@code source.read_threads} reads a local file: the
 * splitter cuts the file into parts of 128 KiB on the calling thread, a pool of as many threads as
 * cores reads and converts them, and the calling thread takes their outcomes in file order (the
 * rows of a load's part are held until then; here their count). The parts are cut both ways: by
 * counting every quote and line break before each cut, and as a load cuts them now, by guessing
 * the quoting state from the bytes around each cut, each part numbering its lines from its start. Usage: ParseThroughput FILE. Each
 * measure is the best of 5 runs after 3 of warm-up.
 */
public final class ParseThroughput {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    double megabytes = Files.size(file) / 1e6;
    SchemaSpec schema =
        new SchemaSpec(
            List.of("order_id"),
            List.of(
                column("order_id", ColumnType.LONG, null, 0, 0),
                column("customer_id", ColumnType.STRING, null, 0, 0),
                column("status", ColumnType.STRING, null, 0, 0),
                column("amount", ColumnType.DECIMAL, null, 12, 2),
                column("quantity", ColumnType.INT, null, 0, 0),
                column("ordered_at", ColumnType.TIMESTAMP, null, 0, 0),
                column("shipped_on", ColumnType.DATE, null, 0, 0),
                column("note", ColumnType.STRING, null, 0, 0)));
    // Warm-up: three passes of each, so that the JIT has compiled the loops before they are timed
    // (with one, a JVM still compiling was measured at two thirds of its later rate now and then).
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int i = 0; i < 3; i++) {
      plainRead(file);
      lineRead(file);
      parseAndConvert(file, schema);
      inParts(file, schema, pool, threads, false);
      inParts(file, schema, pool, threads, true);
    }
    double plain = Double.MAX_VALUE;
    double bulk = Double.MAX_VALUE;
    double parse = Double.MAX_VALUE;
    double parts = Double.MAX_VALUE;
    double counted = Double.MAX_VALUE;
    long rows = 0;
    long partRows = 0;
    long countedRows = 0;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      lineRead(file);
      plain = Math.min(plain, (System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      plainRead(file);
      bulk = Math.min(bulk, (System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      rows = parseAndConvert(file, schema);
      parse = Math.min(parse, (System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      countedRows = inParts(file, schema, pool, threads, false);
      counted = Math.min(counted, (System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      partRows = inParts(file, schema, pool, threads, true);
      parts = Math.min(parts, (System.nanoTime() - start) / 1e9);
    }
    pool.shutdown();
    if (partRows != rows || countedRows != rows) {
      throw new AssertionError(
          "in parts: " + partRows + " and " + countedRows + " rows, in one: " + rows);
    }
    System.out.printf(Locale.ROOT, "plain read (BufferedReader lines): %.0f MB/s%n", megabytes / plain);
    System.out.printf(Locale.ROOT, "bulk decode floor (no lines):      %.0f MB/s%n", megabytes / bulk);
    System.out.printf(
        Locale.ROOT,
        "parse+convert (bucketload):        %.0f MB/s, %,.0f rows/s (%d rows)%n",
        megabytes / parse,
        rows / parse,
        rows);
    System.out.printf(
        Locale.ROOT,
        "parse+convert in parts, %d threads, cuts counted: %.0f MB/s, %,.0f rows/s%n",
        threads,
        megabytes / counted,
        rows / counted);
    System.out.printf(
        Locale.ROOT,
        "parse+convert in parts, %d threads: %.0f MB/s, %,.0f rows/s%n",
        threads,
        megabytes / parts,
        rows / parts);
    System.out.printf(Locale.ROOT, "ratio parse+convert / plain read: %.2f (goal >= 0.5)%n", plain / parse);
    System.out.printf(
        Locale.ROOT,
        "ratio parse+convert in parts, cuts counted / plain read: %.2f%n",
        plain / counted);
    System.out.printf(
        Locale.ROOT, "ratio parse+convert in parts / plain read: %.2f (goal >= 0.5)%n", plain / parts);
    System.out.printf(Locale.ROOT, "ratio parse+convert / bulk decode: %.2f%n", bulk / parse);
  }

  private static ColumnSpec column(String name, ColumnType type, String format, int precision, int scale) {
    return new ColumnSpec(name, type, Optional.ofNullable(format), false, precision, scale);
  }

  private static long lineRead(Path file) throws Exception {
    long lines = 0;
    try (java.io.BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines += line.isEmpty() ? 0 : 1;
      }
    }
    return lines;
  }

  private static long plainRead(Path file) throws Exception {
    char[] buffer = new char[1 << 16];
    long chars = 0;
    try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
      for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
        chars += n;
      }
    }
    return chars;
  }

  /**
   * Parse+convert of the file in parts on {@code pool}, outcomes taken in file order with at most
   * {@code threads} parts in flight; the first part (the header) is read on the calling thread.
   */
  private static long inParts(
      Path file, SchemaSpec schema, ExecutorService pool, int threads, boolean guess)
      throws Exception {
    String name = file.toString();
    try (RecordSplitter splitter =
        RecordSplitter.open(file, CsvDialect.DEFAULT, 1 << 17, false).orElseThrow()) {
      RecordSplitter.Part first = splitter.next().orElseThrow();
      BoundSchema bound;
      long rows;
      java.nio.charset.Charset charset;
      try (CsvRowReader reader =
          CsvRowReader.open(PartInput.open(splitter.bytes(), first), name, CsvDialect.DEFAULT)) {
        bound = BoundSchema.bind(reader.header(), schema, name);
        charset = reader.charset();
        rows = convertAll(reader, bound);
      }
      if (guess) {
        splitter.guessCuts(bound.fieldCount());
      }
      ArrayDeque<Future<Long>> inFlight = new ArrayDeque<>();
      for (Optional<RecordSplitter.Part> part = splitter.next();
          part.isPresent() || !inFlight.isEmpty();
          part = part.isPresent() ? splitter.next() : part) {
        if (part.isPresent()) {
          RecordSplitter.Part taken = part.get();
          inFlight.add(
              pool.submit(
                  () -> {
                    try (CsvRowReader reader =
                        CsvRowReader.openPart(
                            PartInput.open(splitter.bytes(), taken),
                            name,
                            CsvDialect.DEFAULT,
                            charset,
                            taken.linesKnown() ? taken.linesBefore() : 0,
                            taken.end() - taken.start(),
                            bound.fieldCount())) {
                      return convertAll(reader, bound);
                    }
                  }));
        }
        if (inFlight.size() >= 2 * threads || part.isEmpty()) {
          rows += inFlight.poll().get();
        }
      }
      return rows;
    }
  }

  /**
   * Converts the records left in {@code reader} as a load converts each record: from its bytes
   * when the reader read it as bytes, else from its text. Their count, or -1 when the values
   * counted do not add up (never: counting them keeps the JIT from dropping the conversion).
   */
  private static long convertAll(CsvRowReader reader, BoundSchema bound) throws Exception {
    long rows = 0;
    long sink = 0;
    for (Optional<ReadRecord> record = reader.nextRecord();
        record.isPresent();
        record = reader.nextRecord()) {
      Optional<RecordBytes> bytes = record.get().bytes();
      Optional<Object[]> plain = bytes.isPresent() ? bound.convert(bytes.get()) : Optional.empty();
      Object[] values = plain.isPresent() ? plain.get() : bound.convert(record.get().row().fields());
      sink += values.length;
      rows++;
    }
    return sink < 0 ? -1 : rows;
  }

  private static long parseAndConvert(Path file, SchemaSpec schema) throws Exception {
    try (InputStream in = Files.newInputStream(file);
        CsvRowReader reader = CsvRowReader.open(in, file.toString(), CsvDialect.DEFAULT)) {
      long rows = convertAll(reader, BoundSchema.bind(reader.header(), schema, file.toString()));
      if (rows < 0) {
        throw new AssertionError();
      }
      return rows;
    }
  }

}
