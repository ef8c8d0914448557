package io.bucketload.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.source.FileBytes;
import io.bucketload.core.source.LocalFileBytes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a guess cuts a file, against where its records end: a defect near the place, a file without
 * quotes, records ending with a delimiter.
 */
class CutGuessTest {
  @TempDir Path dir;

  @Test
  void aBareQuoteAtThePlaceStillCutsAtTheNextRecordEnd() throws IOException {
    // Both guesses meet a defect on the record holding the place; neither may take the rest of
    // the file as one part.
    String before = "id,name,price\n" + "1,plain,1.00\n".repeat(50);
    String bad = "42,Acme 5\" screen,9.99\n";
    String after = "2,plain,2.00\n".repeat(5000);
    Path file = write(before + bad + after);
    long wanted = before.length() + "42,Acme ".length();
    assertThat(guess(file, 3, false).at(wanted, wanted + 1_000_000))
        .isEqualTo(new CutGuess.At(before.length() + bad.length()));
  }

  @Test
  void aFileWithoutQuotesIsCutAtTheNextLineBreakReadingAFewRecords() throws IOException {
    String rows = "7,name,note\n".repeat(200_000);
    Path file = write("id,name,note\n" + rows);
    long wanted = 1_000_000;
    long recordEnd = ((wanted - 13 + 11) / 12) * 12 + 13;
    AtomicLong read = new AtomicLong();
    FileBytes counted = counting(file, read);
    CutGuess guess = new CutGuess(counted, Files.size(file), (byte) ',', (byte) '"', 3, false);
    assertThat(guess.at(wanted, wanted + 1_000_000)).isEqualTo(new CutGuess.At(recordEnd));
    // The guess inside quotes, which no quote ends, stops once the other has read its records:
    // not a megabyte read for each part.
    assertThat(read.get()).isLessThanOrEqualTo(8192);
  }

  @Test
  void rejectedRowsNearTheCutOfAFileWithoutQuotesStillCutThereReadingAFewRecords()
      throws IOException {
    String row = "1,plain,1.00\n";
    String head = "id,name,price\n" + row.repeat(20_000);
    String bad = row + "2,short\n" + row + "2,short\n";
    Path file = write(head + bad + row.repeat(20_000));
    long wanted = head.length() + 5;
    AtomicLong read = new AtomicLong();
    CutGuess guess =
        new CutGuess(counting(file, read), Files.size(file), (byte) ',', (byte) '"', 3, false);
    // The file ends within the longest part: the guess inside quotes, which no quote ends, must
    // not take the rest of the file as the last part, nor read on to its end.
    assertThat(guess.at(wanted, wanted + 1_000_000))
        .isEqualTo(new CutGuess.At(head.length() + row.length()));
    assertThat(read.get()).isLessThanOrEqualTo(8192);
  }

  @Test
  void recordsEndingWithADelimiterAreAsWideAsTheHeader() throws IOException {
    Path file = write("id,name,\n" + "5,five,\n".repeat(20_000));
    long wanted = 50_004;
    long recordEnd = ((wanted - 9 + 7) / 8) * 8 + 9;
    assertThat(guess(file, 2, true).at(wanted, wanted + 1_000_000))
        .isEqualTo(new CutGuess.At(recordEnd));
  }

  @Test
  void aPlaceInsideAQuotedValueIsCutAfterItsRecord() throws IOException {
    String head = "id,note\n" + "1,\"a, b\"\n".repeat(40);
    String quoted = "2,\"line one,\nline two\"\n";
    Path file = write(head + quoted + "3,x\n".repeat(100));
    long wanted = head.length() + 4;
    assertThat(guess(file, 2, false).at(wanted, wanted + 1_000_000))
        .isEqualTo(new CutGuess.At(head.length() + quoted.length()));
  }

  @Test
  void noRecordEndBeforeTheLongestPartIsBeyondAndTheFileEndIsAtEnd() throws IOException {
    String head = "id,note\n1,\"";
    Path open = write(head + "x".repeat(5000) + "\"\n2,y\n");
    assertThat(guess(open, 2, false).at(head.length() + 10, head.length() + 1000))
        .isEqualTo(new CutGuess.Beyond());
    Path last = write("id,note\n1,a\n2,b");
    assertThat(guess(last, 2, false).at(13, 2000)).isEqualTo(new CutGuess.AtEnd());
  }

  private Path write(String text) throws IOException {
    Path file = Files.createTempFile(dir, "cut", ".csv");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static CutGuess guess(Path file, int width, boolean trailing) throws IOException {
    return new CutGuess(
        new LocalFileBytes(file), Files.size(file), (byte) ',', (byte) '"', width, trailing);
  }

  /** The bytes of {@code file}, adding to {@code read} every byte read through them. */
  private static FileBytes counting(Path file, AtomicLong read) throws IOException {
    return new FileBytes() {
      private final FileBytes bytes = new LocalFileBytes(file);

      @Override
      public long size() {
        return bytes.size();
      }

      @Override
      public InputStream open(long start, long end) throws IOException {
        return new FilterInputStream(bytes.open(start, end)) {
          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            read.addAndGet(Math.max(0, n));
            return n;
          }
        };
      }

      @Override
      public boolean local() {
        return true;
      }

      @Override
      public String pin() {
        return "";
      }

      @Override
      public String describe() {
        return bytes.describe();
      }
    };
  }
}
