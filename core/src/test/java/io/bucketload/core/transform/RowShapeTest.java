package io.bucketload.core.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.ColumnType;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowShapeTest {
  private static final List<ColumnSpec> INPUT =
      List.of(
          ColumnSpec.text("id", false),
          ColumnSpec.text("secret", false),
          ColumnSpec.text("name", false));
  private static final FileContext FILE =
      new FileContext("in/day1/c.csv", "c.csv", LocalDateTime.of(2026, 11, 21, 8, 0));

  @Test
  void renamesDropsAndAddsInOrder() throws ShapeException {
    Map<String, ValueExpression> added = new LinkedHashMap<>();
    added.put("source_file", new ValueExpression.SourceKey());
    added.put("line", new ValueExpression.LineNumber());
    added.put("loaded_at", new ValueExpression.Now());
    added.put("batch", new ValueExpression.Constant(7L, ColumnType.LONG));
    RowShape shape =
        RowShape.compile(
            INPUT,
            List.of(
                new TransformStep.Rename(Map.of("id", "customer"), "t[0]"),
                new TransformStep.Drop(List.of("secret"), "t[1]"),
                new TransformStep.Add(added, "t[2]")),
            List.of("customer"));
    assertThat(shape.columns())
        .extracting(ColumnSpec::name)
        .containsExactly("customer", "name", "source_file", "line", "loaded_at", "batch");
    assertThat(shape.columns().get(0).required()).isTrue();
    assertThat(shape.columns().get(4).type()).isEqualTo(ColumnType.TIMESTAMP);
    assertThat(shape.keyIndexes()).containsExactly(0);
    assertThat(shape.apply(new Object[] {"c1", "pw", "Ada"}, 12, FILE))
        .containsExactly("c1", "Ada", "in/day1/c.csv", 12L, FILE.loadStarted(), 7L);
  }

  @Test
  void aDefaultAddsARowHashOnlyToFilesWithoutTheColumn() throws ShapeException {
    List<TransformStep> steps =
        List.of(new TransformStep.Default(Map.of("id", new ValueExpression.RowHash()), "t[0]"));
    List<ColumnSpec> withoutId = List.of(ColumnSpec.text("name", false));
    RowShape hashed = RowShape.compile(withoutId, steps, List.of("id"));
    Object[] ada = hashed.apply(new Object[] {"Ada"}, 2, FILE);
    Object[] again = hashed.apply(new Object[] {"Ada"}, 9, FILE);
    Object[] bob = hashed.apply(new Object[] {"Bob"}, 3, FILE);
    assertThat((String) ada[1]).hasSize(32).matches("[0-9a-f]+");
    assertThat(again[1]).isEqualTo(ada[1]);
    assertThat(bob[1]).isNotEqualTo(ada[1]);

    RowShape kept = RowShape.compile(INPUT, steps, List.of("id"));
    assertThat(kept.columns()).extracting(ColumnSpec::name).containsExactly("id", "secret", "name");
    assertThat(kept.apply(new Object[] {"c1", "pw", "Ada"}, 2, FILE)[0]).isEqualTo("c1");
  }

  @Test
  void aRenameMayChangeOnlyTheCase() throws ShapeException {
    RowShape shape =
        RowShape.compile(
            INPUT, List.of(new TransformStep.Rename(Map.of("name", "Name"), "t[0]")), List.of());
    assertThat(shape.columns())
        .extracting(ColumnSpec::name)
        .containsExactly("id", "secret", "Name");
  }

  @Test
  void withoutTransformsTheConvertedRowIsUsedAsIs() throws ShapeException {
    RowShape shape = RowShape.compile(INPUT, List.of(), List.of());
    Object[] row = {"1", "x", "y"};
    assertThat(shape.apply(row, 2, FILE)).isSameAs(row);
  }

  @Test
  void namesTheStepAndColumnThatDoNotFit() {
    assertThatThrownBy(
            () ->
                RowShape.compile(
                    INPUT,
                    List.of(
                        new TransformStep.Drop(
                            List.of("nope"), "p.yaml line 9: transform[0].drop")),
                    List.of()))
        .isInstanceOf(ShapeException.class)
        .hasMessage(
            "p.yaml line 9: transform[0].drop: no column 'nope'; columns at this step: id, secret, name");
    assertThatThrownBy(
            () ->
                RowShape.compile(
                    INPUT,
                    List.of(
                        new TransformStep.Add(
                            Map.of("NAME", new ValueExpression.Now()), "t[0].add")),
                    List.of()))
        .hasMessage("t[0].add: column 'NAME' already exists");
    assertThatThrownBy(
            () ->
                RowShape.compile(
                    INPUT, List.of(new TransformStep.Drop(List.of("id"), "t[0]")), List.of("id")))
        .isInstanceOfSatisfying(
            ShapeException.class, e -> assertThat(e.missingKey()).hasValue("id"));
  }
}
