package io.bucketload.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuotePlacementTest {
  @TempDir Path dir;

  private boolean plain(String csv, int bufferBytes) throws IOException {
    Path file = dir.resolve("f.csv");
    Files.write(file, csv.getBytes(StandardCharsets.UTF_8));
    return QuotePlacement.plain(file, ',', '"', bufferBytes);
  }

  @Test
  void quotesWhereRfc4180PutsThemArePlain() throws IOException {
    for (String csv :
        new String[] {
          "",
          "a,b\n1,2\n",
          "a,b\n\"1\",\"x, y\"\n",
          "a,b\n\"she said \"\"hi\"\"\",\"\"\n",
          "a,b\r\n\"line\r\nbreak\",2\r\n",
          "a,b\n1,\"no newline at the end\"",
          "\uFEFF\"a\",b\n1,2\n",
          "a\n\"\"\"\"\n"
        }) {
      assertThat(plain(csv, 1 << 16)).as(csv).isTrue();
    }
  }

  @Test
  void quotesElsewhereAreNot() throws IOException {
    for (String csv :
        new String[] {
          "a,b\n1,$0.9\"Hoodie\n",
          "a,b\n\"closed\"then,2\n",
          "a,b\n1,\"never closed\n",
          "a,b\nx\",2\n",
          "\uFEFFa\"b,c\n"
        }) {
      assertThat(plain(csv, 1 << 16)).as(csv).isFalse();
    }
  }

  @Test
  void agreesWithAByteByByteReadingWhereverTheBuffersEnd() throws IOException {
    Random random = new Random(42);
    char[] alphabet = {'a', 'b', ',', '"', '"', '\n', '\r'};
    int plain = 0;
    for (int n = 0; n < 3000; n++) {
      StringBuilder csv = new StringBuilder(random.nextInt(5) == 0 ? "\uFEFF" : "");
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        csv.append(alphabet[random.nextInt(alphabet.length)]);
      }
      boolean expected = byteByByte(csv.toString().getBytes(StandardCharsets.UTF_8));
      plain += expected ? 1 : 0;
      for (int buffer : new int[] {4, 5, 7, 8, 9, 16, 1 << 16}) {
        assertThat(plain(csv.toString(), buffer))
            .as(
                "%s with a buffer of %d",
                csv.toString().replace("\n", "\\n").replace("\r", "\\r"), buffer)
            .isEqualTo(expected);
      }
    }
    assertThat(plain).isBetween(300, 2700);
  }

  /** The reference: a state machine over every byte. */
  private static boolean byteByByte(byte[] bytes) {
    int start =
        bytes.length >= 3
                && bytes[0] == (byte) 0xEF
                && bytes[1] == (byte) 0xBB
                && bytes[2] == (byte) 0xBF
            ? 3
            : 0;
    int state = 0; // 0 field start, 1 unquoted, 2 quoted, 3 quote in quoted
    for (int i = start; i < bytes.length; i++) {
      byte b = bytes[i];
      boolean ends = b == ',' || b == '\n' || b == '\r';
      switch (state) {
        case 0 -> state = b == '"' ? 2 : ends ? 0 : 1;
        case 1 -> {
          if (b == '"') {
            return false;
          }
          state = ends ? 0 : 1;
        }
        case 2 -> state = b == '"' ? 3 : 2;
        default -> {
          if (b == '"') {
            state = 2;
          } else if (ends) {
            state = 0;
          } else {
            return false;
          }
        }
      }
    }
    return state != 2;
  }
}
