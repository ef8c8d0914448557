package io.bucketload.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.DataException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BoundSchemaTest {
  private static final SchemaSpec TYPED =
      new SchemaSpec(
          List.of("id"),
          List.of(
              new ColumnSpec("id", ColumnType.LONG, Optional.empty(), true, 0, 0),
              new ColumnSpec("age", ColumnType.INT, Optional.empty(), false, 0, 0),
              ColumnSpec.text("name", false)));

  @Test
  void bindsDeclaredColumnsByNameInAnyOrderAndReportsIgnoredOnes() throws RowRejected {
    BoundSchema bound = BoundSchema.bind(List.of("name", "extra", "age", "id"), TYPED, "f.csv");
    assertThat(bound.ignoredColumns()).containsExactly("extra");
    assertThat(bound.fieldCount()).isEqualTo(4);
    assertThat(bound.convert(new String[] {"Ada", "x", "36", "7"})).containsExactly(7L, 36, "Ada");
  }

  @Test
  void emptyNonTextValueIsNullAndUnquotedEmptyTextStaysAsRead() throws RowRejected {
    BoundSchema bound = BoundSchema.bind(List.of("id", "age", "name"), TYPED, "f.csv");
    assertThat(bound.convert(new String[] {"1", "", ""})).containsExactly(1L, null, "");
    assertThat(bound.convert(new String[] {"1", null, null})).containsExactly(1L, null, null);
  }

  @Test
  void aRowWithSeveralBadValuesNamesEveryOne() {
    BoundSchema bound = BoundSchema.bind(List.of("id", "age", "name"), TYPED, "f.csv");
    assertThatThrownBy(() -> bound.convert(new String[] {null, "thirty", "Tom"}))
        .isInstanceOfSatisfying(
            RowRejected.class,
            rejected ->
                assertThat(rejected.problems())
                    .containsExactly(
                        new RowRejected.Problem("id", "", "required value is missing"),
                        new RowRejected.Problem("age", "thirty", "not an int")));
  }

  @Test
  void rejectsRowNamingColumnValueAndReason() {
    BoundSchema bound = BoundSchema.bind(List.of("id", "age", "name"), TYPED, "f.csv");
    assertThatThrownBy(() -> bound.convert(new String[] {"1", "thirty", "Tom"}))
        .isInstanceOfSatisfying(
            RowRejected.class,
            rejected -> {
              assertThat(rejected.column()).isEqualTo("age");
              assertThat(rejected.value()).isEqualTo("thirty");
              assertThat(rejected.reason()).isEqualTo("not an int");
            });
    assertThatThrownBy(() -> bound.convert(new String[] {null, "1", "Tom"}))
        .isInstanceOfSatisfying(
            RowRejected.class,
            rejected -> assertThat(rejected.reason()).isEqualTo("required value is missing"));
  }

  @Test
  void aWideHeaderIsListedInPart() {
    List<String> wide = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "c" + i).toList();

    assertThatThrownBy(() -> BoundSchema.bind(wide, TYPED, "wide.csv"))
        .isInstanceOf(DataException.class)
        .hasMessageEndingWith("c27, c28, c29, ... (2000 in all)")
        .hasMessageStartingWith(
            "wide.csv: missing column 'id' (schema.key); header columns: c0, c1, c2,");
  }

  @Test
  void missingKeyColumnFailsTheFileNamingItAndTheHeader() {
    assertThatThrownBy(() -> BoundSchema.bind(List.of("name", "age"), TYPED, "bad.csv"))
        .isInstanceOf(DataException.class)
        .hasMessage("bad.csv: missing column 'id' (schema.key); header columns: name, age");
  }

  @Test
  void missingColumnInAHeaderSeparatedByAnotherDelimiterSuggestsIt() {
    assertThatThrownBy(() -> BoundSchema.bind(List.of("id;name;age"), TYPED, "semi.csv"))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("semi.csv: missing column 'id'")
        .hasMessageEndingWith("The header looks separated by ';': set format: {delimiter: \";\"}");
    assertThatThrownBy(() -> BoundSchema.bind(List.of("id\tname\tage"), TYPED, "tabs.csv"))
        .hasMessageEndingWith(
            "The header looks separated by tabs: set format: {delimiter: \"\\t\"}");
    assertThatThrownBy(() -> BoundSchema.bind(List.of("name", "age"), TYPED, "plain.csv"))
        .hasMessageNotContaining("looks separated");
  }

  @Test
  void missingColumnSuggestsANameThatDiffersOnlyInCase() {
    assertThatThrownBy(() -> BoundSchema.bind(List.of("ID", "age", "name"), TYPED, "bad.csv"))
        .hasMessageContaining("the header has 'ID' (names must match exactly, in case and spaces)");
  }

  @Test
  void duplicateHeaderNamesFailNamingBothColumns() {
    assertThatThrownBy(
            () ->
                BoundSchema.bind(
                    List.of("id", "Name", "name"), new SchemaSpec(List.of(), List.of()), "d.csv"))
        .isInstanceOf(DataException.class)
        .hasMessage(
            "d.csv line 1, column 3: duplicate column name 'name' (also column 2; names are compared ignoring the case of ASCII letters)");
  }

  @Test
  void aHeaderOfOneColumnHoldingAnotherDelimiterGetsAHint() {
    assertThat(BoundSchema.oneColumnHint(List.of("id;price;note")))
        .isEqualTo(
            ". The header is one column holding ';': if the file is separated by ';', set format:"
                + " {delimiter: \";\"}");
    assertThat(BoundSchema.oneColumnHint(List.of("id\tprice")))
        .isEqualTo(
            ". The header is one column holding tabs: if the file is separated by tabs, set"
                + " format: {delimiter: \"\\t\"}");
    assertThat(BoundSchema.oneColumnHint(List.of("id"))).isEmpty();
    assertThat(BoundSchema.oneColumnHint(List.of("a;b", "c"))).isEmpty();
  }

  @Test
  void aHeaderNameStartingWithBucketloadsOwnPrefixFails() {
    assertThatThrownBy(
            () ->
                BoundSchema.bind(
                    List.of("id", "__BucketLoad_line"),
                    new SchemaSpec(List.of(), List.of()),
                    "r.csv"))
        .isInstanceOf(DataException.class)
        .hasMessage(
            "r.csv line 1, column 2: column name '__BucketLoad_line' starts with __bucketload,"
                + " which bucketload keeps for the columns of its own work tables: rename it in the"
                + " file");
  }

  @Test
  void emptyAndControlCharacterHeaderNamesFail() {
    SchemaSpec none = new SchemaSpec(List.of(), List.of());
    assertThatThrownBy(() -> BoundSchema.bind(List.of("id", " "), none, "e.csv"))
        .hasMessage("e.csv line 1, column 2: the header has an empty column name");
    assertThatThrownBy(() -> BoundSchema.bind(List.of("id", "a\u0001b"), none, "e.csv"))
        .hasMessage("e.csv line 1, column 2: column name 'a?b' contains a control character");
    assertThatThrownBy(() -> BoundSchema.bind(List.of("i\u0000d\u0000"), none, "e.csv"))
        .hasMessage(
            "e.csv line 1, column 1: column name 'i?d?' contains a control character. NUL"
                + " characters between the letters are how UTF-16 text reads as a one-byte"
                + " encoding: if the file is UTF-16, set format: {encoding: UTF-16LE} (or"
                + " UTF-16BE)");
  }

  @Test
  void withoutDeclaredColumnsEveryHeaderColumnIsText() throws RowRejected {
    BoundSchema bound =
        BoundSchema.bind(List.of("a", "b"), new SchemaSpec(List.of(), List.of()), "t.csv");
    assertThat(bound.columns()).extracting(ColumnSpec::type).containsOnly(ColumnType.STRING);
    assertThat(bound.convert(new String[] {"007", "x"})).containsExactly("007", "x");
  }
}
