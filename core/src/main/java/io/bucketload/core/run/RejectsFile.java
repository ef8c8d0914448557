package io.bucketload.core.run;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import io.bucketload.core.source.OutputPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A file's rejects file as people read it back: where it is written for a file, and what it holds
 * summed up (the most frequent reasons and the first rejected rows), as the history page shows it.
 * The file itself is written by the run ({@code line, column, value, reason}, then the record's
 * fields).
 */
public final class RejectsFile {
  /** Values longer than this are cut in a summary, with an ellipsis. */
  public static final int SHOWN_VALUE_CHARS = 200;

  /**
   * Distinct reasons counted one by one: the first ones met; rows of reasons met after these are
   * counted together.
   */
  static final int COUNTED_REASONS = 1000;

  private RejectsFile() {}

  /**
   * The rejects file's name for a file of this name: without {@code .gz} and {@code .csv}, then
   * {@code .rejects.csv}.
   */
  static String fileName(String name) {
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".csv")) {
      name = name.substring(0, name.length() - 4);
    }
    return name + ".rejects.csv";
  }

  /**
   * Where the rejects of the file of this key are written, relative to the output store's root.
   *
   * @param fileKey the file's key, as the ledger records it
   * @param rejectedFolder the folder beside the file ({@code source.rejected})
   */
  public static String pathOf(String fileKey, String rejectedFolder) {
    String name = fileKey.substring(fileKey.lastIndexOf('/') + 1);
    return OutputPaths.beside(fileKey, rejectedFolder, fileName(name));
  }

  /**
   * Reads a rejects file, up to {@code maxRows} rows, and sums it up. Memory stays bounded whatever
   * the file's size: the first rows kept, at most {@value #COUNTED_REASONS} reasons counted one by
   * one.
   *
   * @param in the file's bytes, UTF-8; not closed
   * @param firstRows how many of the first rejected rows to keep
   * @param maxRows how many rows to read at most; the summary says whether it read them all
   * @throws IOException when the file cannot be read or is not a rejects file
   */
  public static Summary summarize(InputStream in, int firstRows, long maxRows) throws IOException {
    CsvReader<CsvRecord> reader =
        CsvReader.builder()
            .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
            .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
            .skipEmptyLines(true)
            .ofCsvRecord(new InputStreamReader(in, StandardCharsets.UTF_8));
    Map<Reason, Long> counts = new HashMap<>();
    long other = 0;
    long rows = 0;
    long records = 0;
    String lastLine = null;
    List<Rejected> first = new ArrayList<>();
    boolean complete = true;
    try {
      boolean header = true;
      for (CsvRecord record : reader) {
        if (rows == maxRows) {
          complete = false;
          break;
        }
        if (header) {
          header = false;
          if (record.getFieldCount() < 4 || !record.getField(0).equals("line")) {
            throw new IOException("not a rejects file: its header is not line,column,value,reason");
          }
          continue;
        }
        if (record.getFieldCount() < 4) {
          continue;
        }
        rows++;
        // A record with several problems has a row for each, one after the other.
        if (!record.getField(0).equals(lastLine)) {
          records++;
          lastLine = record.getField(0);
        }
        Reason reason = new Reason(record.getField(1), record.getField(3));
        if (counts.containsKey(reason) || counts.size() < COUNTED_REASONS) {
          counts.merge(reason, 1L, Long::sum);
        } else {
          other++;
        }
        if (first.size() < firstRows) {
          long line;
          try {
            line = Long.parseLong(record.getField(0));
          } catch (NumberFormatException e) {
            line = 0;
          }
          first.add(
              new Rejected(
                  line,
                  shown(record.getField(1)),
                  shown(record.getField(2)),
                  shown(record.getField(3))));
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<ReasonCount> reasons = new ArrayList<>();
    counts.forEach((reason, count) -> reasons.add(new ReasonCount(reason, count)));
    reasons.sort(
        Comparator.comparingLong(ReasonCount::count)
            .reversed()
            .thenComparing(count -> count.reason().column())
            .thenComparing(count -> count.reason().reason()));
    return new Summary(rows, records, complete, reasons, other, first);
  }

  private static String shown(String value) {
    return value.length() <= SHOWN_VALUE_CHARS
        ? value
        : value.substring(0, SHOWN_VALUE_CHARS) + "\u2026";
  }

  /**
   * A reason rows were rejected for.
   *
   * @param column the column it concerns, empty for the record as a whole
   * @param reason the reason, as in the rejects file
   */
  public record Reason(String column, String reason) {
    /** Checks the fields. */
    public Reason {
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * How many rows were rejected for a reason.
   *
   * @param reason the reason
   * @param count the rows
   */
  public record ReasonCount(Reason reason, long count) {
    /** Checks the fields. */
    public ReasonCount {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A rejected row as the summary shows it (values cut at {@value #SHOWN_VALUE_CHARS} characters).
   *
   * @param line the record's line in the file (0 when the rejects file did not say)
   * @param column the column, empty for the record as a whole
   * @param value the value, empty when none
   * @param reason why
   */
  public record Rejected(long line, String column, String value, String reason) {
    /** Checks the fields. */
    public Rejected {
      Objects.requireNonNull(column, "column");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A rejects file summed up.
   *
   * @param rows the rows of the rejects file read: one for each problem of a rejected record
   * @param records the rejected records among them (distinct lines of the loaded file)
   * @param complete whether those are all the file's rows (else the file has more)
   * @param reasons reasons with their counts, the most frequent first
   * @param otherReasons rows whose reason was met after {@value #COUNTED_REASONS} others
   * @param first the first rejected rows, in file order
   */
  public record Summary(
      long rows,
      long records,
      boolean complete,
      List<ReasonCount> reasons,
      long otherReasons,
      List<Rejected> first) {
    /** Copies the lists. */
    public Summary {
      reasons = List.copyOf(reasons);
      first = List.copyOf(first);
    }
  }
}
