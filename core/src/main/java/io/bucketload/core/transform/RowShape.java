package io.bucketload.core.transform;

import io.bucketload.core.schema.ColumnSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The target row's columns and where each value comes from: a column of the converted row or a
 * computed expression. Compiled once per file from the transforms; immutable and thread-safe.
 */
public final class RowShape {
  private final List<ColumnSpec> columns;
  private final int[] inputIndexes;
  private final Expression.Evaluator[] expressions;
  private final int[] keyIndexes;
  private final boolean identity;
  private final List<Expression> filters;
  private final boolean readsLines;

  private RowShape(
      List<ColumnSpec> columns,
      int[] inputIndexes,
      Expression.Evaluator[] expressions,
      int[] keyIndexes,
      List<Expression> filters,
      boolean readsLines) {
    this.readsLines = readsLines;
    this.columns = List.copyOf(columns);
    this.inputIndexes = inputIndexes;
    this.expressions = expressions;
    this.keyIndexes = keyIndexes;
    this.filters = List.copyOf(filters);
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
    return compile(input, steps, key, false);
  }

  /**
   * Compiles transforms over input columns, as {@link #compile(List, List, List)}.
   *
   * @param hashByName whether {@code row_hash()} takes the values in the order of their columns'
   *     names rather than the input's order: for columns that come from a file's header, whose
   *     order may differ between files that hold the same columns
   */
  public static RowShape compile(
      List<ColumnSpec> input, List<TransformStep> steps, List<String> key, boolean hashByName)
      throws ShapeException {
    int[] hashOrder = hashByName ? byName(input) : null;
    List<ColumnSpec> columns = new ArrayList<>(input);
    List<Integer> sources = new ArrayList<>();
    List<Expression.Evaluator> computed = new ArrayList<>();
    List<Expression> filters = new ArrayList<>();
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
            Expression.Operand value =
                operand(
                    entry.getValue(), columns, sources, computed, step, entry.getKey(), hashOrder);
            columns.add(computedColumn(entry.getKey(), value.type()));
            sources.add(-1);
            computed.add(fitted(value));
          }
        }
      } else if (step instanceof TransformStep.Add add) {
        for (Map.Entry<String, ValueExpression> entry : add.columns().entrySet()) {
          requireAbsent(columns, entry.getKey(), step);
          Expression.Operand value =
              operand(
                  entry.getValue(), columns, sources, computed, step, entry.getKey(), hashOrder);
          columns.add(computedColumn(entry.getKey(), value.type()));
          sources.add(-1);
          computed.add(fitted(value));
        }
      } else if (step instanceof TransformStep.Filter filter) {
        Expression condition =
            compileExpression(filter.condition(), columns, sources, computed, step, "");
        if (condition.type() != io.bucketload.core.schema.ColumnType.BOOLEAN) {
          throw new ShapeException(
              step.where()
                  + ": the filter is not a condition (it gives a "
                  + condition.type().name().toLowerCase(Locale.ROOT)
                  + "); write e.g. country = 'US' and cases > 0");
        }
        filters.add(condition);
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
        columns,
        inputIndexes,
        computed.toArray(new Expression.Evaluator[0]),
        keyIndexes,
        filters,
        steps.stream().anyMatch(RowShape::numbersRows));
  }

  /** Whether a step's values hold the line a row starts on ({@code source.line}). */
  private static boolean numbersRows(TransformStep step) {
    Map<String, ValueExpression> values =
        step instanceof TransformStep.Add add
            ? add.columns()
            : step instanceof TransformStep.Default defaults ? defaults.columns() : Map.of();
    return values.values().stream().anyMatch(ValueExpression.LineNumber.class::isInstance);
  }

  /**
   * Whether a row's values hold the line it starts on ({@code source.line}): its values then depend
   * on the lines before it, not only on its own text.
   */
  public boolean readsLines() {
    return readsLines;
  }

  /** The precision of a computed decimal's column. */
  private static final int COMPUTED_PRECISION = 38;

  /** The column of a computed value: a decimal is {@code decimal(38, 10)}. */
  private static ColumnSpec computedColumn(String name, io.bucketload.core.schema.ColumnType type) {
    return type == io.bucketload.core.schema.ColumnType.DECIMAL
        ? new ColumnSpec(
            name, type, Optional.empty(), false, COMPUTED_PRECISION, Expression.DECIMAL_SCALE)
        : new ColumnSpec(name, type, Optional.empty(), false, 0, 0);
  }

  /**
   * A computed value as its column holds it: a decimal at the column's scale ({@link
   * Expression#DECIMAL_SCALE}, rounded half up) whatever the scale of the values it came from, and
   * a row whose decimal needs more than the column's 38 digits is rejected.
   */
  private static Expression.Evaluator fitted(Expression.Operand value) {
    if (value.type() != io.bucketload.core.schema.ColumnType.DECIMAL) {
      return value.value();
    }
    Expression.Evaluator evaluator = value.value();
    return (row, line, file) -> {
      Object computed = evaluator.eval(row, line, file);
      if (computed == null) {
        return null;
      }
      BigDecimal decimal =
          ((BigDecimal) computed).setScale(Expression.DECIMAL_SCALE, RoundingMode.HALF_UP);
      if (decimal.precision() > COMPUTED_PRECISION) {
        throw new ArithmeticException(
            decimal.toPlainString()
                + " needs more than the "
                + COMPUTED_PRECISION
                + " digits of decimal("
                + COMPUTED_PRECISION
                + ","
                + Expression.DECIMAL_SCALE
                + ")");
      }
      return decimal;
    };
  }

  /** How a column added at a step gets its value: an expression, or one of the fixed values. */
  private static Expression.Operand operand(
      ValueExpression expression,
      List<ColumnSpec> columns,
      List<Integer> sources,
      List<Expression.Evaluator> computed,
      TransformStep step,
      String name,
      int[] hashOrder)
      throws ShapeException {
    if (expression instanceof ValueExpression.Computed text) {
      Expression compiled = compileExpression(text.text(), columns, sources, computed, step, name);
      return new Expression.Operand(compiled.type(), compiled::eval);
    }
    return new Expression.Operand(expression.type(), fixed(expression, hashOrder));
  }

  /** The indexes of the columns in the order of their names, ignoring case. */
  private static int[] byName(List<ColumnSpec> input) {
    return java.util.stream.IntStream.range(0, input.size())
        .boxed()
        .sorted(
            java.util.Comparator.comparing(
                (Integer i) -> input.get(i).name().toLowerCase(Locale.ROOT)))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /** Compiles an expression against the columns as they are at its step. */
  private static Expression compileExpression(
      String text,
      List<ColumnSpec> columns,
      List<Integer> sources,
      List<Expression.Evaluator> computed,
      TransformStep step,
      String what)
      throws ShapeException {
    List<ColumnSpec> here = List.copyOf(columns);
    List<Integer> from = List.copyOf(sources);
    List<Expression.Evaluator> values = new ArrayList<>(computed);
    try {
      return Expression.parse(
          text,
          name -> {
            for (int i = 0; i < here.size(); i++) {
              if (here.get(i).name().equals(name)) {
                int source = from.get(i);
                Expression.Evaluator value =
                    source >= 0 ? (row, line, file) -> row[source] : values.get(i);
                return Optional.of(new Expression.Operand(here.get(i).type(), value));
              }
            }
            return Optional.empty();
          });
    } catch (IllegalArgumentException e) {
      throw new ShapeException(
          step.where()
              + ": "
              + (what.isEmpty() ? "" : what + ": ")
              + e.getMessage()
              + "; columns at this step: "
              + names(columns));
    }
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

  /**
   * The converted row's column a result column is that column's value of, or -1 for a column an
   * expression computes.
   */
  public int sourceOf(int column) {
    return inputIndexes[column];
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
    List<ExpressionFailure> failures = null;
    for (int i = 0; i < out.length; i++) {
      int source = inputIndexes[i];
      if (source >= 0) {
        out[i] = converted[source];
      } else {
        try {
          out[i] = expressions[i].eval(converted, line, file);
        } catch (ArithmeticException | java.time.DateTimeException | ClassCastException e) {
          // Every expression of the row is tried, so that the reject tells each that failed.
          if (failures == null) {
            failures = new java.util.ArrayList<>();
          }
          failures.add(new ExpressionFailure(columns.get(i).name(), e));
        }
      }
    }
    if (failures != null) {
      throw ExpressionFailure.all(failures);
    }
    return out;
  }

  /** Whether the shape has {@code filter} steps. */
  public boolean filters() {
    return !filters.isEmpty();
  }

  /**
   * Whether a converted row passes every {@code filter} step (only a true condition passes; NULL
   * does not).
   */
  public boolean keep(Object[] converted, long line, FileContext file) {
    for (Expression filter : filters) {
      boolean passes;
      try {
        passes = filter.test(converted, line, file);
      } catch (ArithmeticException | java.time.DateTimeException | ClassCastException e) {
        throw new ExpressionFailure("", e);
      }
      if (!passes) {
        return false;
      }
    }
    return true;
  }

  /** The evaluator of a value that is not an expression, chosen once per file, not per row. */
  private static Expression.Evaluator fixed(ValueExpression expression, int[] hashOrder) {
    if (expression instanceof ValueExpression.RowHash) {
      return (row, line, file) -> ValueExpression.RowHash.of(row, hashOrder);
    } else if (expression instanceof ValueExpression.Constant constant) {
      Object value = constant.value();
      return (row, line, file) -> value;
    } else if (expression instanceof ValueExpression.Now) {
      return (row, line, file) -> file.loadStarted();
    } else if (expression instanceof ValueExpression.SourceKey) {
      return (row, line, file) -> file.key();
    } else if (expression instanceof ValueExpression.SourceName) {
      return (row, line, file) -> file.name();
    } else if (expression instanceof ValueExpression.LineNumber) {
      return (row, line, file) -> line;
    }
    throw new IllegalStateException("an expression is compiled against its step: " + expression);
  }
}
