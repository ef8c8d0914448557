package io.bucketload.core.csv;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Files that are not CSV text at all are named for what they are, not as bad encoding. */
class NotCsvTest {
  private static void open(byte[] bytes, String name) throws IOException {
    CsvRowReader.open(new ByteArrayInputStream(bytes), name, CsvDialect.DEFAULT).close();
  }

  private static byte[] workbook() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("xl/workbook.xml"));
      zip.write("<workbook/>".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  @Test
  void anExcelWorkbookRenamedCsvIsNamedAsSuch() throws IOException {
    byte[] xlsx = workbook();
    assertThatThrownBy(() -> open(xlsx, "report.csv"))
        .isInstanceOf(MalformedCsvException.class)
        .hasMessage(
            "report.csv: this is a ZIP archive (an Excel .xlsx workbook, or a .zip file), not CSV"
                + " text; export it as CSV");
  }

  @Test
  void aGzippedWorkbookIsNamedToo() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(workbook());
    }
    assertThatThrownBy(() -> open(bytes.toByteArray(), "report.csv.gz"))
        .isInstanceOf(MalformedCsvException.class)
        .hasMessageContaining("ZIP archive");
  }

  @Test
  void pdfParquetAndOldExcelFilesAreNamed() {
    assertThatThrownBy(() -> open("%PDF-1.7\n...".getBytes(StandardCharsets.US_ASCII), "a.csv"))
        .hasMessageContaining("a.csv: this is a PDF document, not CSV text");
    assertThatThrownBy(() -> open("PAR1\0\0\0\0".getBytes(StandardCharsets.US_ASCII), "b.csv"))
        .hasMessageContaining("b.csv: this is a Parquet file");
    assertThatThrownBy(
            () ->
                open(new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, 1, 2, 3, 4}, "c.csv"))
        .hasMessageContaining("c.csv: this is an Office document of the old format");
  }
}
