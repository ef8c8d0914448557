package io.bucketload.core.csv;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import io.bucketload.core.source.SourceReadException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Streams the records of one CSV file. Not thread-safe; one reader per file.
 *
 * <p>The input may be gzip-compressed (detected by its magic bytes). A UTF-8, UTF-16 or UTF-32 byte
 * order mark is removed and decides the encoding; otherwise the dialect's encoding is decoded
 * strictly: bytes that are not valid in it fail the file rather than turning into replacement
 * characters.
 */
public final class CsvRowReader implements Closeable {
  private final String fileName;
  private final InputStream input;
  private final RowHandler handler;
  private StrictDecoder decoder;

  /**
   * The records read as bytes, until one needs the text parser ({@link #handOver}); null from then
   * on, and for text that only the text parser reads.
   */
  private PlainRecords plainRecords;

  private final CsvReader.CsvReaderBuilder builder;
  private final CsvDialect dialect;
  private CsvReader<RawRow> reader;
  private Iterator<RawRow> records;
  private RecordTap tap;
  private final List<String> header;
  private final boolean compressed;
  private final Charset charset;
  private long linesBefore;

  /** The lines before the reader's first byte: 0 but for a part's reader. */
  private final long firstLine;

  private boolean empty;
  private MalformedCsvException failure;
  private long headerLine = 1;
  private long linesSkipped;

  private CsvRowReader(String fileName, InputStream raw, CsvDialect dialect, int bytesBuffer)
      throws IOException {
    this.fileName = fileName;
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    this.compressed = isGzip(buffered);
    InputStream plain =
        compressed
            ? new BufferedInputStream(
                GzipCompressorInputStream.builder()
                    .setInputStream(buffered)
                    .setDecompressConcatenated(true)
                    .get(),
                1 << 16)
            : buffered;
    this.input = plain;
    Optional<String> notText = knownBinaryFormat(plain);
    if (notText.isPresent()) {
      throw new MalformedCsvException(
          fileName + ": " + notText.get() + ", not CSV text; export it as CSV", 1, null);
    }
    this.charset = skipByteOrderMark(plain).orElse(dialect.encoding());
    this.linesBefore = 0;
    this.firstLine = 0;
    this.handler = new RowHandler(dialect);
    this.dialect = dialect;
    this.builder = parserBuilder(dialect);
    if (bytesBuffer > 0 && PlainRecords.reads(dialect, charset)) {
      this.plainRecords = new PlainRecords(plain, dialect, 0, bytesBuffer, 0, true);
    } else {
      startText(plain);
    }
    this.header = dialect.header() ? readHeader(dialect.headerRows()) : List.of();
  }

  /** Starts the text parser on {@code plain}, after the lines {@code format.skip_lines} skips. */
  private void startText(InputStream plain) throws IOException {
    this.decoder = new StrictDecoder(plain, charset);
    String pending = "";
    if (dialect.skipLines() > 0) {
      StringBuilder after = new StringBuilder();
      linesSkipped = skipLines(decoder, dialect.skipLines(), after);
      handler.lineOffset(linesSkipped);
      pending = after.toString();
    }
    start(pending);
  }

  /**
   * A reader of a part of a file: records only, from its first byte, lines counted on. The byte
   * reader reads the part into a buffer of its size ({@code partBytes}, at most {@link
   * PlainRecords#FIRST_BUFFER}), with no other buffer in between: a file read in parts of 128 KiB
   * no longer allocates and clears 320 KiB for each.
   */
  private CsvRowReader(
      String fileName,
      InputStream raw,
      CsvDialect dialect,
      Charset charset,
      long linesBefore,
      long partBytes,
      int widthBefore) {
    this.fileName = fileName;
    this.compressed = false;
    this.charset = charset;
    this.linesBefore = linesBefore;
    this.firstLine = linesBefore;
    this.handler = new RowHandler(dialect);
    handler.lineOffset(linesBefore);
    this.dialect = dialect;
    this.builder = parserBuilder(dialect);
    if (PlainRecords.reads(dialect, charset)) {
      this.input = raw;
      int buffer = (int) Math.max(1, Math.min(PlainRecords.FIRST_BUFFER, partBytes));
      // Not read ahead: a part's reading that fails once its stream ended is read again with
      // the next part (PartInput.ended), which reading ahead would make of every failure near
      // its end.
      this.plainRecords = new PlainRecords(input, dialect, linesBefore, buffer, widthBefore, false);
    } else {
      this.input = new BufferedInputStream(raw, 1 << 16);
      this.decoder = new StrictDecoder(input, charset);
      handler.continueFrom(widthBefore, Optional.empty());
      start("");
    }
    this.header = List.of();
  }

  /**
   * Leaves the rest of the file to the text parser, from the first byte of the record the byte
   * reader did not read: numbered on, and told the last record's width and the record-shaped values
   * found so far.
   */
  private void handOver() {
    PlainRecords read = plainRecords;
    plainRecords = null;
    linesBefore = read.linesBefore();
    handler.lineOffset(linesBefore);
    handler.continueFrom(read.previousWidth(), read.recordsInQuotes());
    decoder = new StrictDecoder(read.rest(), charset);
    start("");
  }

  private static CsvReader.CsvReaderBuilder parserBuilder(CsvDialect dialect) {
    CsvReader.CsvReaderBuilder builder =
        CsvReader.builder()
            .quoteCharacter(dialect.quote())
            .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
            .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
            .allowUnclosedQuote(false)
            .skipEmptyLines(true)
            .maxBufferSize(parserBufferLimit(dialect.maxRecordChars()));
    if (dialect.delimiter().length() == 1) {
      builder.fieldSeparator(dialect.delimiter().charAt(0));
    } else {
      builder.fieldSeparator(dialect.delimiter());
    }
    return builder;
  }

  /**
   * Starts the parser on {@code text} (already decoded, beginning at a record's first line), then
   * the rest of the decoder's output.
   */
  private void start(String text) {
    tap = new RecordTap(decoder, text);
    handler.onRecordStart(tap::recordStarted);
    reader = builder.build(handler, tap);
    records = reader.iterator();
  }

  /**
   * Skips {@code count} physical lines (a title, an export banner) and returns how many there were
   * (fewer when the file ends first); a character read past the last line break goes to {@code
   * after}.
   */
  private static long skipLines(Reader in, int count, StringBuilder after) throws IOException {
    long skipped = 0;
    boolean inLine = false;
    int c = in.read();
    while (c >= 0 && skipped < count) {
      int next = in.read();
      if (c == '\n') {
        skipped++;
        inLine = false;
      } else if (c == '\r') {
        skipped++;
        inLine = false;
        if (next == '\n') {
          next = in.read();
        }
      } else {
        inLine = true;
      }
      c = next;
    }
    if (c >= 0) {
      after.append((char) c);
    } else if (inLine) {
      skipped++; // a last line without a line break
    }
    return skipped;
  }

  /**
   * Reads the header: one record, or {@code rows} records whose names are joined per column with a
   * space (an empty name in an upper row takes the name to its left, as exports write merged
   * cells). Empty when the file has no record at all.
   */
  private List<String> readHeader(int rows) throws IOException {
    List<String[]> lines = new ArrayList<>();
    int width = 0;
    for (int r = 0; r < rows; r++) {
      Optional<RawRow> row = next();
      if (row.isEmpty()) {
        empty = r == 0;
        if (r > 0) {
          throw new MalformedCsvException(
              fileName
                  + ": the header spans "
                  + rows
                  + " rows (format.header_rows), but the file has only "
                  + r,
              1,
              null);
        }
        break;
      }
      if (r == 0) {
        headerLine = row.get().line();
      }
      if (row.get().tooLong()) {
        throw new MalformedCsvException(
            fileName
                + " line "
                + row.get().line()
                + ": the header is longer than format."
                + (row.get().oversize() == RawRow.Oversize.FIELD
                    ? "max_field_chars"
                    : "max_record_chars"),
            row.get().line(),
            null);
      }
      Optional<RawRow.Defect> defect = row.get().defect();
      if (defect.isPresent() && defect.get().reason().equals(AFTER_CLOSING_QUOTE)) {
        throw new MalformedCsvException(
            fileName + " line " + row.get().line() + ": the header has " + AFTER_CLOSING_QUOTE,
            row.get().line(),
            null);
      }
      String[] names = row.get().fields();
      lines.add(names);
      width = Math.max(width, names.length);
    }
    List<String> names = new ArrayList<>();
    String[] carried = new String[lines.size()];
    for (int column = 0; column < width; column++) {
      List<String> parts = new ArrayList<>();
      for (int r = 0; r < lines.size(); r++) {
        String[] line = lines.get(r);
        String part = column < line.length && line[column] != null ? line[column].strip() : "";
        if (part.isEmpty() && r < lines.size() - 1 && carried[r] != null) {
          part = carried[r];
        }
        carried[r] = part.isEmpty() ? carried[r] : part;
        if (!part.isEmpty()) {
          parts.add(part);
        }
      }
      names.add(lines.size() == 1 ? nameAsRead(lines.get(0), column) : String.join(" ", parts));
    }
    return names;
  }

  private static String nameAsRead(String[] line, int column) {
    return column < line.length && line[column] != null ? line[column] : "";
  }

  /** Whether the file's bytes are gzip-compressed (detected by their magic bytes). */
  public boolean compressed() {
    return compressed;
  }

  /** The line the header starts on: 1, or the line after {@code format.skip_lines}. */
  public long headerLine() {
    return headerLine;
  }

  /**
   * How many lines {@code format.skip_lines} skipped: fewer than it asks when the file ends first.
   */
  public long linesSkipped() {
    return linesSkipped;
  }

  /** Whether the file has no record at all, not even a header (0 bytes, or blank lines only). */
  public boolean isEmpty() {
    return empty;
  }

  /**
   * Opens a reader over a stream; the reader owns and closes the stream.
   *
   * @param input the object's bytes, possibly gzip-compressed
   * @param fileName the file's name or key, for messages
   * @param dialect how the CSV is written
   * @throws MalformedCsvException when the header cannot be read
   * @throws IOException when the stream fails
   */
  public static CsvRowReader open(InputStream input, String fileName, CsvDialect dialect)
      throws IOException {
    return open(input, fileName, dialect, PlainRecords.FIRST_BUFFER);
  }

  /**
   * {@link #open(InputStream, String, CsvDialect)} with the byte reader's first buffer of {@code
   * bytesBuffer} bytes; 0 parses every record as text. For tests that compare the two readings.
   */
  static CsvRowReader open(InputStream input, String fileName, CsvDialect dialect, int bytesBuffer)
      throws IOException {
    try {
      return new CsvRowReader(fileName, input, dialect, bytesBuffer);
    } catch (IOException e) {
      closeQuietly(input);
      // Besides the source's own failures and invalid text, which undecodable tells apart, only
      // the gzip layer fails while the reader opens.
      throw undecodable(fileName, e, 1, true, 0, dialect.encoding());
    } catch (RuntimeException e) {
      closeQuietly(input);
      throw e;
    }
  }

  private static void closeQuietly(InputStream input) {
    try {
      input.close();
    } catch (IOException e) {
      // Already failing: the original failure is what matters.
    }
  }

  /**
   * Opens a reader over one part of a file that {@link RecordSplitter} cut: its records only (the
   * first part is opened with {@link #open}, which reads the header), numbered from the line after
   * {@code linesBefore}. The reader owns and closes the stream.
   *
   * <p>When the part's reading fails after its stream has ended ({@link PartInput#ended()}), the
   * part may have been cut inside a record the splitter could not see (a quote it could not place):
   * the caller reads this part and the next as one. A failure before the stream ended is the file's
   * own, on the line it names.
   *
   * @param input the part's bytes, not compressed, without byte order mark
   * @param charset the file's encoding, as the reader of the first part found it ({@link
   *     #charset()})
   * @param partBytes the part's size in bytes, which sizes the reader's buffer
   * @param widthBefore the fields the record before the part is taken to have, which a quoted value
   *     of the part's first record is measured against for lines shaped like records ({@link
   *     #recordsInQuotes()}): 0 after a blank line ({@link PartInput#afterBlankLine()}), else the
   *     width of every valid record (the record itself is in another part)
   */
  public static CsvRowReader openPart(
      InputStream input,
      String fileName,
      CsvDialect dialect,
      Charset charset,
      long linesBefore,
      long partBytes,
      int widthBefore) {
    return new CsvRowReader(fileName, input, dialect, charset, linesBefore, partBytes, widthBefore);
  }

  /** The encoding the text is decoded with: the byte order mark's, or the dialect's. */
  public Charset charset() {
    return charset;
  }

  /**
   * The failure of reading decoded bytes: the source's own failures ({@link SourceReadException})
   * stay system failures; everything else happened while decoding the file's bytes (gzip, encoding)
   * and is the file's fault.
   */
  private static IOException undecodable(
      String fileName,
      IOException e,
      long line,
      boolean compressed,
      long linesBefore,
      Charset configured) {
    if (e instanceof SourceReadException) {
      return e;
    }
    if (e instanceof StrictDecoder.InvalidTextException invalid) {
      long at = invalid.line() + linesBefore;
      throw new MalformedCsvException(
          fileName
              + " line "
              + at
              + ": bytes that are not valid text in the declared encoding (format.encoding"
              + (invalid.charset() == null
                  ? ""
                  : invalid.charset().equals(configured)
                      ? ": "
                          + invalid.charset().name()
                          + (invalid.charset().equals(java.nio.charset.StandardCharsets.UTF_8)
                              ? "; files from older Windows systems are often windows-1252"
                              : "")
                      : " is "
                          + configured.name()
                          + ", but the file starts with the byte order mark of "
                          + invalid.charset().name()
                          + ", which decides")
              + ")",
          at,
          invalid);
    }
    String detail =
        e instanceof java.io.EOFException
            ? "the compressed data ends early"
            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (compressed && detail.contains("Gzip-compressed data is corrupt")) {
      // gzip checks its data once, at the end of each member (its CRC-32 and length): damage is
      // found there, wherever it is, and what was decompressed before it may already be garbage.
      throw new MalformedCsvException(
          fileName
              + ": a corrupt gzip file: its data does not match the check values stored with it ("
              + detail.replaceFirst(".*\\((.*)\\).*", "$1")
              + "), found after line "
              + (line - 1)
              + "; the damage may lie anywhere before, so rows read from it, or rejected, may be"
              + " garbage",
          line,
          e);
    }
    throw new MalformedCsvException(
        fileName
            + (compressed
                // The line being read when the data failed is cut short: the ones before it are
                // whole.
                ? ": not a complete gzip file (truncated or corrupt) "
                    + (line > 1 ? "after line " + (line - 1) : "in its first line")
                    + ": "
                    + detail
                : " line " + line + ": the bytes cannot be read: " + detail),
        line,
        e);
  }

  /**
   * The first quoted value read so far that holds three or more lines shaped like records (a quote
   * without its partner, likely), with how many such values there were.
   */
  public Optional<RecordsInQuotes> recordsInQuotes() {
    return plainRecords != null ? plainRecords.recordsInQuotes() : handler.recordsInQuotes();
  }

  /** The header's names; empty when the dialect has no header. */
  public List<String> header() {
    return header;
  }

  /**
   * Returns the next record, or empty at the end of the file.
   *
   * @throws MalformedCsvException when the CSV cannot be read further
   * @throws IOException when the stream fails
   */
  public Optional<RawRow> next() throws IOException {
    Optional<ReadRecord> next = nextRecord();
    return next.isPresent() ? Optional.of(next.get().row()) : Optional.empty();
  }

  /**
   * The line breaks read from the reader's first byte, LF, CR and CR LF each one, once {@link
   * #nextRecord} has returned empty; empty when the text parser read some of the records, which
   * does not count the lines after the last one.
   */
  public java.util.OptionalLong lineBreaksRead() {
    return plainRecords == null
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(plainRecords.linesBefore() - firstLine);
  }

  /**
   * Returns the next record, or empty at the end of the file: as {@link #next()}, but a record read
   * as bytes comes as they are ({@link ReadRecord#bytes()}), valid until the next call.
   *
   * @throws MalformedCsvException when the CSV cannot be read further
   * @throws IOException when the stream fails
   */
  public Optional<ReadRecord> nextRecord() throws IOException {
    if (plainRecords != null) {
      PlainRecords.Step step;
      try {
        step = plainRecords.next();
      } catch (IOException e) {
        throw undecodable(
            fileName, e, plainRecords.linesBefore() + 1, compressed, 0, dialect.encoding());
      }
      switch (step) {
        case RECORD:
          return plainRecords.record().asRecord();
        case END:
          return Optional.empty();
        default:
          handOver();
      }
    }
    if (failure != null) {
      throw failure;
    }
    try {
      return records.hasNext() ? Optional.of(records.next()) : Optional.empty();
    } catch (CsvParseException e) {
      try {
        return Optional.of(recover(e));
      } catch (IOException io) {
        throw undecodableHere(io);
      } catch (MalformedCsvException malformed) {
        failure = malformed;
        throw malformed;
      }
    } catch (UncheckedIOException e) {
      throw undecodableHere(e.getCause());
    }
  }

  /** {@link #undecodable} of a failure while records are read, on the line being read. */
  private IOException undecodableHere(IOException e) {
    return undecodable(
        fileName,
        e,
        Math.max(1, handler.currentLine()),
        compressed,
        linesBefore,
        dialect.encoding());
  }

  /** The reason of a record whose quoted field is followed by more characters. */
  static final String AFTER_CLOSING_QUOTE = "characters after a closing quote";

  /**
   * Turns the record the parser failed on into a reject and goes on with the next record, when the
   * failure is characters after a closing quote and the record's end is beyond doubt: the end of
   * the physical line where the extra characters are, with no quote after them on that line.
   * Otherwise the file fails, naming the line where the record started.
   */
  private RawRow recover(CsvParseException e) throws IOException {
    RuntimeException failure = malformed(e);
    if (!(failure instanceof MalformedCsvException malformed)
        || !malformed.getMessage().endsWith(AFTER_CLOSING_QUOTE)) {
      throw failure;
    }
    long relative = malformed.line() - handler.lineOffset();
    TextCursor text = new TextCursor(tap.from(relative), decoder);
    Optional<BadRecord> bad = BadRecord.scan(text, dialect, maxRejectValue());
    if (bad.isEmpty()) {
      throw failure;
    }
    if (bad.get().inDoubt()) {
      throw new MalformedCsvException(
          malformed.getMessage()
              + ", and a quote follows on the same line, so where the record ends cannot be told",
          malformed.line(),
          e);
    }
    handler.lineOffset(malformed.line() - 1 + bad.get().lineBreaks());
    start(text.remainder());
    return new RawRow(
        malformed.line(),
        new String[0],
        RawRow.Oversize.NONE,
        Optional.of(new RawRow.Defect(bad.get().field(), bad.get().text(), AFTER_CLOSING_QUOTE)));
  }

  private int maxRejectValue() {
    return Math.min(dialect.maxFieldChars(), 4096);
  }

  private static final java.util.regex.Pattern RECORD_START =
      java.util.regex.Pattern.compile("record starting at line (\\d+)");

  private RuntimeException malformed(CsvParseException e) throws IOException {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        throw undecodableHere(io);
      }
    }
    StringBuilder chain = new StringBuilder();
    String detail = String.valueOf(e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.append(t.getMessage()).append('\n');
      if (t.getMessage() != null) {
        detail = t.getMessage();
      }
    }
    java.util.regex.Matcher start = RECORD_START.matcher(chain);
    long line =
        start.find()
            ? Long.parseLong(start.group(1)) + handler.lineOffset()
            : Math.max(1, handler.currentLine());
    String lower = chain.toString().toLowerCase(java.util.Locale.ROOT);
    String reason;
    if (lower.contains("unterminated")
        || lower.contains("unclosed")
        || lower.contains("not closed")) {
      reason = "a quoted field starting on this line is never closed";
    } else if (lower.contains("buffer")) {
      reason =
          "a field does not fit the reader's buffer (format.max_record_chars + 64 Ki, rounded up"
              + " to a power of two); usually a quote that is never closed";
    } else if (lower.contains("after closing quote") || lower.contains("closing quote")) {
      reason = AFTER_CLOSING_QUOTE;
    } else {
      reason = detail;
    }
    return new MalformedCsvException(fileName + " line " + line + ": " + reason, line, e);
  }

  /**
   * The parser's buffer limit: a record with a field that does not fit cannot be read at all
   * (usually a quote that is never closed) and fails the file. It is {@code max_record_chars} plus
   * 64 Ki, rounded up to a power of two (8 Mi characters with the defaults), so that records
   * somewhat over {@code max_record_chars} are still read, to be rejected one by one. A power of
   * two: FastCSV grows its buffer by doubling and overruns it when the limit is not a doubling of
   * its 8 Ki start.
   */
  static int parserBufferLimit(int maxRecordChars) {
    long wanted = maxRecordChars + 65536L;
    long limit = Long.highestOneBit(wanted);
    if (limit < wanted) {
      limit <<= 1;
    }
    return (int) Math.min(limit, 1 << 30);
  }

  /**
   * What a file is when its first bytes are the signature of a common format that is not text: what
   * people rename to {@code .csv} or export by mistake.
   */
  private static Optional<String> knownBinaryFormat(InputStream in) throws IOException {
    in.mark(8);
    byte[] head = new byte[8];
    int n = in.readNBytes(head, 0, head.length);
    in.reset();
    if (startsWith(head, n, 'P', 'K', 3, 4)) {
      return Optional.of("this is a ZIP archive (an Excel .xlsx workbook, or a .zip file)");
    }
    if (startsWith(head, n, 0xD0, 0xCF, 0x11, 0xE0)) {
      return Optional.of("this is an Office document of the old format (an Excel .xls workbook)");
    }
    if (startsWith(head, n, '%', 'P', 'D', 'F')) {
      return Optional.of("this is a PDF document");
    }
    if (startsWith(head, n, 'P', 'A', 'R', '1')) {
      return Optional.of("this is a Parquet file");
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] head, int length, int... signature) {
    if (length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((head[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isGzip(BufferedInputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == 0x1f && second == 0x8b;
  }

  private static Optional<Charset> skipByteOrderMark(InputStream in) throws IOException {
    in.mark(4);
    byte[] bytes = in.readNBytes(4);
    in.reset();
    int b0 = bytes.length > 0 ? bytes[0] & 0xff : -1;
    int b1 = bytes.length > 1 ? bytes[1] & 0xff : -1;
    int b2 = bytes.length > 2 ? bytes[2] & 0xff : -1;
    int b3 = bytes.length > 3 ? bytes[3] & 0xff : -1;
    if (b0 == 0xef && b1 == 0xbb && b2 == 0xbf) {
      in.skipNBytes(3);
      return Optional.of(StandardCharsets.UTF_8);
    }
    if (b0 == 0x00 && b1 == 0x00 && b2 == 0xfe && b3 == 0xff) {
      in.skipNBytes(4);
      return Optional.of(Charset.forName("UTF-32BE"));
    }
    if (b0 == 0xff && b1 == 0xfe && b2 == 0x00 && b3 == 0x00) {
      in.skipNBytes(4);
      return Optional.of(Charset.forName("UTF-32LE"));
    }
    if (b0 == 0xfe && b1 == 0xff) {
      in.skipNBytes(2);
      return Optional.of(StandardCharsets.UTF_16BE);
    }
    if (b0 == 0xff && b1 == 0xfe) {
      in.skipNBytes(2);
      return Optional.of(StandardCharsets.UTF_16LE);
    }
    return Optional.empty();
  }

  @Override
  public void close() throws IOException {
    try {
      if (reader != null) {
        reader.close();
      }
    } finally {
      input.close();
    }
  }
}
