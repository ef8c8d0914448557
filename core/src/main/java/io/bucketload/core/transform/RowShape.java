package io.bucketload.core.transform;

import io.bucketload.core.schema.ColumnSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The target row's columns and where each value comes from: a column of the converted row or a
 * computed expression. Compiled once per file from the transforms; immutable and thread-safe.
 */
public final class RowShape {
  private final List<ColumnSpec> columns;
  private final int[] inputIndexes;
  private final ValueExpression[] expressions;
  private final int[] keyIndexes;
  private final boolean identity;

  private RowShape(
      List<ColumnSpec> columns,
      int[] inputIndexes,
      ValueExpression[] expressions,
      int[] keyIndexes) {
    this.columns = List.copyOf(columns);
    this.inputIndexes = inputIndexes;
    this.expressions = expressions;
    this.keyIndexes = keyIndexes;
    boolean same = true;
    for (int i = 0; i < inputIndexes.length; i++) {
      same &= inputIndexes[i] == i;
    }
    this.identity = same;
  }

  /**
   * Compiles transforms over input columns.
   *
   * @param input the converted row's columns
   * @param steps the transforms, in order
   * @param key the key's column names, which must be among the resulting columns
   * @throws ShapeException when a step names a column that is not there, adds one that already is,
   *     drops a key column, or the key is not among the resulting columns
   */
  public static RowShape compile(
      List<ColumnSpec> input, List<TransformStep> steps, List<String> key) throws ShapeException {
    List<ColumnSpec> columns = new ArrayList<>(input);
    List<Integer> sources = new ArrayList<>();
    List<ValueExpression> computed = new ArrayList<>();
    for (int i = 0; i < input.size(); i++) {
      sources.add(i);
      computed.add(null);
    }
    for (TransformStep step : steps) {
      if (step instanceof TransformStep.Rename rename) {
        for (Map.Entry<String, String> entry : rename.names().entrySet()) {
          int at = indexOf(columns, entry.getKey(), step);
          List<ColumnSpec> others = new ArrayList<>(columns);
          others.remove(at);
          requireAbsent(others, entry.getValue(), step);
          columns.set(at, columns.get(at).renamed(entry.getValue()));
        }
      } else if (step instanceof TransformStep.Drop drop) {
        for (String name : drop.names()) {
          int at = indexOf(columns, name, step);
          columns.remove(at);
          sources.remove(at);
          computed.remove(at);
        }
      } else if (step instanceof TransformStep.Default defaults) {
        for (Map.Entry<String, ValueExpression> entry : defaults.columns().entrySet()) {
          if (columns.stream().noneMatch(column -> column.name().equals(entry.getKey()))) {
            columns.add(entry.getValue().column(entry.getKey()));
            sources.add(-1);
            computed.add(entry.getValue());
          }
        }
      } else if (step instanceof TransformStep.Add add) {
        for (Map.Entry<String, ValueExpression> entry : add.columns().entrySet()) {
          requireAbsent(columns, entry.getKey(), step);
          columns.add(entry.getValue().column(entry.getKey()));
          sources.add(-1);
          computed.add(entry.getValue());
        }
      }
    }
    int[] keyIndexes = new int[key.size()];
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < key.size(); k++) {
      String name = key.get(k);
      if (!seen.add(name)) {
        throw new ShapeException("schema.key: column '" + name + "' is listed twice");
      }
      keyIndexes[k] = -1;
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).name().equals(name)) {
          keyIndexes[k] = i;
          columns.set(i, columns.get(i).asRequired());
        }
      }
      if (keyIndexes[k] < 0) {
        throw ShapeException.missingKey(name);
      }
    }
    int[] inputIndexes = sources.stream().mapToInt(Integer::intValue).toArray();
    return new RowShape(
        columns, inputIndexes, computed.toArray(new ValueExpression[0]), keyIndexes);
  }

  private static int indexOf(List<ColumnSpec> columns, String name, TransformStep step)
      throws ShapeException {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new ShapeException(
        step.where() + ": no column '" + name + "'; columns at this step: " + names(columns));
  }

  private static void requireAbsent(List<ColumnSpec> columns, String name, TransformStep step)
      throws ShapeException {
    if (name.isBlank()) {
      throw new ShapeException(step.where() + ": a column name cannot be empty");
    }
    for (ColumnSpec column : columns) {
      if (column.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        throw new ShapeException(step.where() + ": column '" + name + "' already exists");
      }
    }
  }

  private static String names(List<ColumnSpec> columns) {
    return String.join(", ", columns.stream().map(ColumnSpec::name).toList());
  }

  /** The target row's columns, in order; key columns are marked required. */
  public List<ColumnSpec> columns() {
    return columns;
  }

  /** Positions of the key columns in {@link #columns()}, in key order. */
  public int[] keyIndexes() {
    return keyIndexes.clone();
  }

  /**
   * Builds the target row.
   *
   * @param converted the converted row, as produced by the bound schema
   * @param line the line the record started on
   * @param file the file's context
   * @return one value per column (null for NULL): {@code converted} itself when the transforms
   *     neither add, drop nor reorder columns (renames only change names), else a new array
   */
  public Object[] apply(Object[] converted, long line, FileContext file) {
    if (identity && converted.length == inputIndexes.length) {
      return converted;
    }
    Object[] out = new Object[inputIndexes.length];
    for (int i = 0; i < out.length; i++) {
      int source = inputIndexes[i];
      out[i] = source >= 0 ? converted[source] : evaluate(expressions[i], converted, line, file);
    }
    return out;
  }

  private static Object evaluate(
      ValueExpression expression, Object[] converted, long line, FileContext file) {
    if (expression instanceof ValueExpression.RowHash) {
      return ValueExpression.RowHash.of(converted);
    } else if (expression instanceof ValueExpression.Constant constant) {
      return constant.value();
    } else if (expression instanceof ValueExpression.Now) {
      return file.loadStarted();
    } else if (expression instanceof ValueExpression.SourceKey) {
      return file.key();
    } else if (expression instanceof ValueExpression.SourceName) {
      return file.name();
    }
    return line;
  }
}
