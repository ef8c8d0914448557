package io.bucketload.core.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every case of {@code csv-cases/cases.yaml} against {@link CsvRowReader}. */
public class CsvEdgeCasesTest {
  static Stream<Arguments> cases() throws IOException {
    JsonNode cases =
        new ObjectMapper(new YAMLFactory())
            .readTree(CsvEdgeCasesTest.class.getResourceAsStream("/csv-cases/cases.yaml"));
    List<Arguments> out = new ArrayList<>();
    cases.forEach(node -> out.add(Arguments.of(Named.of(node.get("id").asText(), node))));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsCaseAsExpected(JsonNode testCase) throws IOException {
    String file = testCase.get("file").asText();
    byte[] plain = resource(file);
    String gzip = testCase.path("gzip").asText("false");
    byte[] compressed = gzip.equals("false") ? plain : gzip(plain);
    byte[] bytes =
        gzip.equals("truncated") ? Arrays.copyOf(compressed, compressed.length - 12) : compressed;
    CsvDialect dialect = dialect(testCase);
    if (testCase.has("error")) {
      assertThatThrownBy(() -> readAll(bytes, file, dialect))
          .isInstanceOf(MalformedCsvException.class)
          .hasMessageContaining(testCase.get("error").asText());
      return;
    }
    List<List<Object>> actual = new ArrayList<>();
    List<String> header;
    try (CsvRowReader reader = CsvRowReader.open(new ByteArrayInputStream(bytes), file, dialect)) {
      header = reader.header();
      for (Optional<RawRow> row = reader.next(); row.isPresent(); row = reader.next()) {
        List<Object> fields = new ArrayList<>();
        fields.add(row.get().line());
        if (row.get().tooLong()) {
          fields.add("TOO_LONG");
        } else if (row.get().defect().isPresent()) {
          fields.add("REJECT");
          fields.add(Integer.toString(row.get().defect().get().field()));
          fields.add(row.get().defect().get().reason());
        } else {
          fields.addAll(Arrays.asList(row.get().fields()));
        }
        actual.add(fields);
      }
    }
    List<String> expectedHeader = new ArrayList<>();
    testCase.get("header").forEach(name -> expectedHeader.add(name.asText()));
    assertThat(header).containsExactlyElementsOf(expectedHeader);
    List<List<Object>> expectedRows = new ArrayList<>();
    for (JsonNode row : testCase.get("rows")) {
      List<Object> fields = new ArrayList<>();
      fields.add(row.get(0).asLong());
      for (int i = 1; i < row.size(); i++) {
        fields.add(row.get(i).isNull() ? null : row.get(i).asText());
      }
      expectedRows.add(fields);
    }
    assertThat(actual).containsExactlyElementsOf(expectedRows);
  }

  private static void readAll(byte[] bytes, String file, CsvDialect dialect) throws IOException {
    try (CsvRowReader reader = CsvRowReader.open(new ByteArrayInputStream(bytes), file, dialect)) {
      while (reader.next().isPresent()) {
        // Read to the end: the error comes where the data is.
      }
    }
  }

  /** The dialect a case names: the defaults with the case's own keys. */
  public static CsvDialect dialect(JsonNode testCase) {
    CsvDialect defaults = CsvDialect.DEFAULT;
    Set<String> nulls = defaults.nullValues();
    if (testCase.has("null")) {
      nulls = new HashSet<>();
      for (JsonNode value : testCase.get("null")) {
        nulls.add(value.asText());
      }
    }
    int maxField = testCase.path("max_field_chars").asInt(defaults.maxFieldChars());
    return new CsvDialect(
        testCase.path("delimiter").asText(","),
        testCase.path("quote").asText("\"").charAt(0),
        true,
        Charset.forName(testCase.path("encoding").asText("UTF-8")),
        nulls,
        maxField,
        testCase.path("max_record_chars").asInt(Math.max(maxField, defaults.maxRecordChars())),
        CsvDialect.BareQuotes.valueOf(
            testCase.path("bare_quotes").asText("reject").toUpperCase(java.util.Locale.ROOT)),
        testCase.path("trailing_delimiter").asBoolean(false),
        testCase.path("skip_lines").asInt(0),
        testCase.path("header_rows").asInt(1));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = CsvEdgeCasesTest.class.getResourceAsStream("/csv-cases/" + name)) {
      return in.readAllBytes();
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }
}
