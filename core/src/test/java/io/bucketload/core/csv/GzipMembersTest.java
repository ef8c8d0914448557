package io.bucketload.core.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Gzip files of several members (what {@code cat a.gz b.gz} and bgzip write) read in full from a
 * stream that, like an object store's, says nothing about what is still to come; a member cut short
 * is refused, wherever the cut falls.
 */
class GzipMembersTest {
  private static byte[] member(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  /** A stream that answers 0 to available() and reads in small pieces, as a network stream. */
  private static InputStream network(byte[] bytes) {
    return new FilterInputStream(new java.io.ByteArrayInputStream(bytes)) {
      @Override
      public int available() {
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 7));
      }
    };
  }

  private static long rows(byte[] file) throws IOException {
    long rows = 0;
    try (CsvRowReader reader = CsvRowReader.open(network(file), "f.csv.gz", CsvDialect.DEFAULT)) {
      while (reader.next().isPresent()) {
        rows++;
      }
    }
    return rows;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void everyMemberOfAConcatenatedFileIsRead() throws IOException {
    StringBuilder second = new StringBuilder();
    for (int i = 3; i < 5000; i++) {
      second.append(i).append(",x\n");
    }
    byte[] file = concat(member("id,name\n1,a\n2,b\n"), member(second.toString()));

    assertThat(rows(file)).isEqualTo(4999);
  }

  @Test
  void aFileCutInsideALaterMembersHeaderIsRefused() throws IOException {
    byte[] first = member("id,name\n1,a\n");
    byte[] second = member("2,b\n");
    for (int cut = 1; cut < 10; cut++) {
      byte[] file = concat(first, Arrays.copyOf(second, cut));

      assertThatThrownBy(() -> rows(file))
          .as("cut after %d byte(s) of the second member", cut)
          .isInstanceOf(MalformedCsvException.class)
          .hasMessageContaining("f.csv.gz");
    }
  }

  /** 20,000 rows of two fields after a header, as one gzip member. */
  private static byte[] twentyThousandRows() throws IOException {
    StringBuilder csv = new StringBuilder("id,v\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(i).append(",value ").append(i).append('\n');
    }
    return member(csv.toString());
  }

  /** How reading {@code file} failed, and how many rows it gave before. */
  private record Failure(String message, long rows) {}

  private static Failure failureReading(byte[] file) {
    long[] rows = {0};
    MalformedCsvException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            MalformedCsvException.class,
            () -> {
              try (CsvRowReader reader =
                  CsvRowReader.open(network(file), "f.csv.gz", CsvDialect.DEFAULT)) {
                while (reader.next().isPresent()) {
                  rows[0]++;
                }
              }
            });
    return new Failure(failure.getMessage(), rows[0]);
  }

  @Test
  void aCutStreamNamesTheLastWholeLineItGaveRowsOf() throws IOException {
    byte[] whole = twentyThousandRows();

    Failure failure = failureReading(Arrays.copyOf(whole, whole.length / 2));

    // The header is line 1: the rows read are lines 2 to rows + 1, all whole.
    assertThat(failure.message())
        .isEqualTo(
            "f.csv.gz: not a complete gzip file (truncated or corrupt) after line "
                + (failure.rows() + 1)
                + ": the compressed data ends early");
  }

  @Test
  void aChecksumThatDoesNotMatchSaysTheDamageMayLieAnywhereBefore() throws IOException {
    byte[] damaged = twentyThousandRows();
    // The trailer is the CRC-32 of the data, then its length: every byte of data stays as it was.
    damaged[damaged.length - 8] ^= 0x01;

    Failure failure = failureReading(damaged);

    assertThat(failure.message())
        .isEqualTo(
            "f.csv.gz: a corrupt gzip file: its data does not match the check values stored with"
                + " it (CRC32 error), found after line "
                + (failure.rows() + 1)
                + "; the damage may lie anywhere before, so rows read from it, or rejected, may be"
                + " garbage");
  }
}
