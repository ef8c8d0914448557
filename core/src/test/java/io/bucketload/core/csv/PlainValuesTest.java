package io.bucketload.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.csv.PlainValues.Field;
import io.bucketload.core.csv.PlainValues.Form;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainValuesTest {
  private static final List<Field> FIELDS =
      List.of(
          new Field(Form.INTEGER, 0, 0, true),
          new Field(Form.DECIMAL, 6, 2, false),
          new Field(Form.DATE, 0, 0, false),
          new Field(Form.TIMESTAMP, 0, 0, false),
          new Field(Form.BOOLEAN, 0, 0, false),
          new Field(Form.TEXT, 0, 0, false));
  private static final String HEADER = "i,d,day,at,b,t\n";

  @TempDir Path dir;

  private boolean plain(String csv, int bufferBytes) throws IOException {
    Path file = dir.resolve("f.csv");
    Files.write(file, csv.getBytes(StandardCharsets.UTF_8));
    return PlainValues.check(file, ',', FIELDS, 30, bufferBytes);
  }

  private boolean plain(String csv) throws IOException {
    return plain(csv, 1 << 16);
  }

  @Test
  void plainValuesArePlain() throws IOException {
    for (String rows :
        new String[] {
          "1,12.50,2024-01-31,2024-01-31 12:00:00,true,text\n",
          "-7,+3,1999-12-31,2024-01-31T23:59:59.123456,false,\"a, \"\"b\"\"\"\n",
          "7,0001234.5,,,,\n",
          "7,-0.01,2024-02-30,2024-01-31 00:00:00.5,true,\"one\r\nbreak\"\r\n",
          "1,2,,,,\"\"\n\n\n2,3,,,,x",
          "\uFEFF1,2,,,,x\n"
        }) {
      String csv =
          rows.startsWith("\uFEFF") ? "\uFEFF" + HEADER + rows.substring(1) : HEADER + rows;
      assertThat(plain(csv)).as(rows).isTrue();
    }
  }

  @Test
  void anyValueInAnotherFormIsNot() throws IOException {
    for (String rows :
        new String[] {
          ",1,,,,\n",
          " 1,,,,,\n",
          "1e3,,,,,\n",
          "\"1\",,,,,\n",
          "1,1.005,,,,\n",
          "1,12345.5,,,,\n",
          "1,5.,,,,\n",
          "1,.5,,,,\n",
          "1,,2024-1-31,,,\n",
          "1,,0999-01-31,,,\n",
          "1,,,2024-01-31 24:00:00,,\n",
          "1,,,2024-01-31 12:00,,\n",
          "1,,,2024-01-31 12:00:00Z,,\n",
          "1,,,2024-01-31 12:00:00.1234567,,\n",
          "1,,,,TRUE,\n",
          "1,,,,yes,\n",
          "1,,,,,\"a\nb\nc\"\n",
          "1,,,,,1234567890123456789012345678901\n",
          "1,,,,,ab\"c\n",
          "1,,,,,\"ab\"c\n",
          "1,,,,,\"never closed\n",
          "1,,,,\n",
          "1,,,,,,\n"
        }) {
      assertThat(plain(HEADER + rows)).as(rows).isFalse();
    }
    assertThat(plain("\n" + HEADER + "1,,,,,\n")).as("a blank line before the header").isFalse();
    Path file = dir.resolve("one.csv");
    Files.writeString(file, HEADER + "1,,,2024-01-31 12:00:00.123456,,\n");
    assertThat(PlainValues.check(file, ',', FIELDS, 20))
        .as("a timestamp of 26 bytes, over max_field_chars (20)")
        .isFalse();
    Files.writeString(file, "a\nx\n\ny\n");
    assertThat(PlainValues.check(file, ',', List.of(Field.text()), 20))
        .as("a blank line in a file of one column")
        .isFalse();
    for (byte[] bad :
        new byte[][] {
          {(byte) 0xFF},
          {(byte) 0xC0, (byte) 0x80},
          {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
          {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
          {(byte) 0xE2, (byte) 0x82}
        }) {
      byte[] start = "a,b\nx,".getBytes(StandardCharsets.UTF_8);
      byte[] csv = java.util.Arrays.copyOf(start, start.length + bad.length);
      System.arraycopy(bad, 0, csv, start.length, bad.length);
      Files.write(file, csv);
      assertThat(PlainValues.check(file, ',', List.of(Field.text(), Field.text()), 20))
          .as("bytes that are not UTF-8 in a field not loaded: %s", java.util.Arrays.toString(bad))
          .isFalse();
    }
    Files.writeString(file, "a,b\nx,€ 😀 ü\n");
    assertThat(PlainValues.check(file, ',', List.of(Field.text(), Field.text()), 20)).isTrue();
    Files.writeString(file, "a,b\nx,1\n\ny,2\n");
    assertThat(PlainValues.check(file, ',', List.of(Field.text(), Field.text()), 20))
        .as("a blank line in a file of two columns")
        .isTrue();
  }

  @Test
  void theVerdictDoesNotDependOnWhereTheBuffersEnd() throws IOException {
    Random random = new Random(42);
    String[][] values = {
      {"1", "-2", "+3", "", "x", "\"4\""},
      {"1.5", "2", "", "1.555", "-0.25", "5."},
      {"2024-01-31", "", "2024-1-31"},
      {"2024-01-31 12:00:00", "2024-01-31T12:00:00.5", "", "2024-01-31 24:00:00"},
      {"true", "false", "", "TRUE"},
      {"a", "", "\"\"", "\"a,b\"", "\"x\r\ny\"", "\"l\nm\nn\"", "a\"b", "\"q\"\"r\"", "€😀"}
    };
    int plain = 0;
    for (int n = 0; n < 2000; n++) {
      StringBuilder csv = new StringBuilder(random.nextInt(5) == 0 ? "\uFEFF" : "").append(HEADER);
      int rows = random.nextInt(4);
      for (int r = 0; r < rows; r++) {
        int width = random.nextInt(15) == 0 ? 5 : 6;
        for (int f = 0; f < width; f++) {
          String[] pool = values[f];
          csv.append(f == 0 ? "" : ",")
              .append(random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)] : pool[0]);
        }
        csv.append(random.nextInt(4) == 0 ? "\r\n" : random.nextInt(8) == 0 ? "\n\n" : "\n");
      }
      boolean expected = plain(csv.toString());
      plain += expected ? 1 : 0;
      for (int buffer : new int[] {4, 5, 7, 8, 9, 13, 16}) {
        assertThat(plain(csv.toString(), buffer))
            .as("%s with a buffer of %d", csv, buffer)
            .isEqualTo(expected);
      }
    }
    assertThat(plain).isBetween(200, 1800);
  }
}
