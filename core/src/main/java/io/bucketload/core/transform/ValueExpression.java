package io.bucketload.core.transform;

import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.ColumnType;
import java.util.Objects;
import java.util.Optional;

/** The value of a column added by {@code transform.add}. */
public sealed interface ValueExpression {
  /** The type of the values it produces. */
  ColumnType type();

  /** The column this expression produces, under a name. */
  default ColumnSpec column(String name) {
    return new ColumnSpec(name, type(), Optional.empty(), false, 0, 0);
  }

  /**
   * Parses an expression as written in a pipeline file: {@code now()}, {@code source.key}, {@code
   * source.name}, {@code source.line}; anything else is a constant.
   *
   * @param text the expression
   * @param plainNumber whether the YAML value was an unquoted whole number (a {@code long}
   *     constant)
   */
  static ValueExpression parse(String text, boolean plainNumber) {
    return switch (text) {
      case "now()" -> new Now();
      case "source.key" -> new SourceKey();
      case "source.name" -> new SourceName();
      case "source.line" -> new LineNumber();
      default -> {
        if (plainNumber) {
          try {
            yield new Constant(Long.parseLong(text), ColumnType.LONG);
          } catch (NumberFormatException e) {
            yield new Constant(text, ColumnType.STRING);
          }
        }
        yield new Constant(text, ColumnType.STRING);
      }
    };
  }

  /** A constant value. */
  record Constant(Object value, ColumnType type) implements ValueExpression {
    /** Checks the value. */
    public Constant {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(type, "type");
    }
  }

  /** The time the file's load started (UTC), the same for every row of the file. */
  record Now() implements ValueExpression {
    @Override
    public ColumnType type() {
      return ColumnType.TIMESTAMP;
    }
  }

  /** The object's key in its source (path relative to the folder, or S3 key). */
  record SourceKey() implements ValueExpression {
    @Override
    public ColumnType type() {
      return ColumnType.STRING;
    }
  }

  /** The object's file name, without folders. */
  record SourceName() implements ValueExpression {
    @Override
    public ColumnType type() {
      return ColumnType.STRING;
    }
  }

  /** The line of the file where the row started. */
  record LineNumber() implements ValueExpression {
    @Override
    public ColumnType type() {
      return ColumnType.LONG;
    }
  }
}
