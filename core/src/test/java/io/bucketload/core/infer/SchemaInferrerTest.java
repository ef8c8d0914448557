package io.bucketload.core.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.error.DataException;
import io.bucketload.core.schema.ColumnSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaInferrerTest {
  private static InferredSchema infer(String csv, List<String> key) throws IOException {
    return SchemaInferrer.infer(
        new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
        "f.csv",
        CsvDialect.DEFAULT,
        key);
  }

  @Test
  void typesComeFromEveryRowNotASample() throws IOException {
    StringBuilder csv = new StringBuilder("n,amount\n");
    for (int i = 0; i < 10_000; i++) {
      csv.append(i).append(",").append(i).append('\n');
    }
    csv.append("x,1.25\n");
    InferredSchema schema = infer(csv.toString(), List.of());
    assertThat(schema.rows()).isEqualTo(10_001);
    assertThat(schema.columns())
        .extracting(ColumnSpec::typeName)
        .containsExactly("int", "decimal(18,2)");
    assertThat(schema.notes())
        .containsExactly(
            "column 'n' is typed int, which 10000 of its 10001 values fit; 1 row would be"
                + " rejected: line 10002 'x'. Fix them, or type the column as string to keep them"
                + " as they are");
  }

  @Test
  void aHeaderThatLooksLikeDataIsPointedOut() throws IOException {
    InferredSchema headless = infer("1,2024-01-01,1.5\n2,2024-01-02,2.5\n", List.of());
    InferredSchema named = infer("id,day,amount\n2,2024-01-02,2.5\n", List.of());

    assertThat(headless.notes())
        .contains(
            "the header (1, 2024-01-01, 1.5) looks like a row of data: if the file has no header,"
                + " set format.header: false and name the columns in schema.columns, in file"
                + " order");
    assertThat(named.notes()).noneMatch(note -> note.contains("looks like a row of data"));
  }

  @Test
  void aTypeThatFitsAlmostEveryValueIsKeptAndItsMisfitsAreListed() throws IOException {
    StringBuilder csv = new StringBuilder("id,day\n");
    for (int i = 0; i < 50_000; i++) {
      String day = i == 811 ? "2024-13-01" : i == 40_000 ? "n/a" : "2024-01-" + (10 + i % 20);
      csv.append(i).append(',').append(day).append('\n');
    }
    InferredSchema schema = infer(csv.toString(), List.of());

    assertThat(schema.columns()).extracting(ColumnSpec::typeName).containsExactly("int", "date");
    assertThat(schema.notes())
        .containsExactly(
            "column 'day' is typed date, which 49998 of its 50000 values fit; 2 rows would be"
                + " rejected: line 813 '2024-13-01', line 40002 'n/a'. Fix them, or type the"
                + " column as string to keep them as they are");
  }

  @Test
  void aTypeThatMisfitsMoreThanOneValueInAThousandIsNotKept() throws IOException {
    StringBuilder csv = new StringBuilder("code\n");
    for (int i = 0; i < 998; i++) {
      csv.append(i).append('\n');
    }
    csv.append("A1\nB2\n");
    InferredSchema schema = infer(csv.toString(), List.of());

    assertThat(schema.columns()).extracting(ColumnSpec::typeName).containsExactly("string");
    assertThat(schema.notes()).isEmpty();
  }

  @Test
  void oneCodeWithALeadingZeroOrPlusAmongThousandsOfNumbersKeepsTheColumnText() throws IOException {
    StringBuilder csv = new StringBuilder("id,zip,price,phone\n");
    for (int i = 0; i < 2_000; i++) {
      csv.append(i)
          .append(',')
          .append(i == 10 ? "00501" : Integer.toString(10_000 + i))
          .append(',')
          .append(i == 20 ? "007.50" : i + ".25")
          .append(',')
          .append(i == 30 ? "+441234567" : Integer.toString(441_234_567 + i))
          .append('\n');
    }
    InferredSchema schema = infer(csv.toString(), List.of());

    // A number type would load 00501 as 501: without a note, since its parser takes it.
    assertThat(schema.columns())
        .extracting(ColumnSpec::typeName)
        .containsExactly("int", "string", "string", "string");
    assertThat(schema.notes()).isEmpty();
  }

  @Test
  void picksTheNarrowestTypeAndKeepsLeadingZerosAsText() throws IOException {
    InferredSchema schema =
        infer(
            """
            id,big,zip,flag,ratio,day,when,empty
            1,3000000000,01234,yes,1e3,17-04-1987,2024-01-02 03:04:05,
            2,1,02000,no,0.5,18-04-1987,2024-01-02T03:04:05Z,
            """,
            List.of("id"));
    assertThat(schema.columns())
        .extracting(ColumnSpec::typeName)
        .containsExactly(
            "int", "long", "string", "boolean", "double", "date", "timestamp", "string");
    assertThat(schema.columns().get(0).required()).isTrue();
    assertThat(schema.columns().get(5).format()).hasValue("dd-MM-yyyy");
    assertThat(schema.notes()).contains("column 'empty' is empty in every row; typed as string");
  }

  @Test
  void numbersADoubleWouldRoundAreKeptAsTextWithANote() throws IOException {
    InferredSchema schema =
        infer(
            """
            id,huge,mixed,science
            1,123456789012345678901234567890123456789012,1e3,1e3
            2,5,1234567890123456789,2.5
            """,
            List.of());

    assertThat(schema.columns())
        .extracting(ColumnSpec::typeName)
        .containsExactly("int", "string", "string", "double");
    assertThat(schema.notes())
        .contains(
            "column 'huge' holds numbers of up to 42 digits, which a double would round (it keeps"
                + " 15 exactly), and not every value fits decimal (at most 38 digits, no"
                + " exponent); typed as string to keep every digit",
            "column 'mixed' holds numbers of up to 19 digits, which a double would round (it"
                + " keeps 15 exactly), and not every value fits decimal (at most 38 digits, no"
                + " exponent); typed as string to keep every digit");
  }

  @Test
  void aKeyColumnMissingFromTheHeaderIsAnError() {
    assertThatThrownBy(() -> infer("a,b\n1,2\n", List.of("id")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("missing column 'id' (--key)");
  }
}
