package io.bucketload.core.transform;

import io.bucketload.core.schema.ColumnType;
import java.util.Objects;

/** The value of a column added by {@code transform.add}. */
public sealed interface ValueExpression {
  /** The type of the values it produces. */
  ColumnType type();

  /**
   * Parses an expression as written in a pipeline file: {@code now()}, {@code source.key}, {@code
   * source.name}, {@code source.line}, {@code row_hash()}; anything else is a constant.
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
      case "row_hash()" -> new RowHash();
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

  /**
   * A value computed from the row by an {@link Expression} ({@code {expr: "cases + deaths"}}); its
   * type is known once the expression is compiled against the columns at its step.
   */
  record Computed(String text) implements ValueExpression {
    /** Checks the text. */
    public Computed {
      Objects.requireNonNull(text, "text");
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException always: the type depends on the columns at the expression's
     *     step, which {@link RowShape} compiles it against
     */
    @Override
    public ColumnType type() {
      throw new IllegalStateException("the type of '" + text + "' is known once it is compiled");
    }
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

  /**
   * A deterministic identifier of the row's content: the first 128 bits, in hex, of the SHA-256 of
   * the file's column values (after type conversion, before transforms). Equal rows get equal
   * hashes, in any file and on any run.
   */
  record RowHash() implements ValueExpression {
    private static final ThreadLocal<java.security.MessageDigest> SHA256 =
        ThreadLocal.withInitial(
            () -> {
              try {
                return java.security.MessageDigest.getInstance("SHA-256");
              } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JVM", e);
              }
            });

    private static final char NULL = '\u0000';
    private static final char SEPARATOR = '\u001f';
    private static final char ESCAPE = '\u001b';

    @Override
    public ColumnType type() {
      return ColumnType.STRING;
    }

    /**
     * Appends a value so that no two rows read alike: a value that holds the separator, the NULL
     * mark or the escape is written escaped, after an escape, so that ({@code a\u001f}, {@code b})
     * and ({@code a}, {@code \u001fb}), or NULL and the text {@code \u0000}, hash apart. Any other
     * value is written as it is, so that its hash is the one it always had.
     */
    private static void appendValue(StringBuilder text, String value) {
      if (value.indexOf(NULL) < 0 && value.indexOf(SEPARATOR) < 0 && value.indexOf(ESCAPE) < 0) {
        text.append(value);
        return;
      }
      text.append(ESCAPE);
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case NULL -> text.append(ESCAPE).append('0');
          case SEPARATOR -> text.append(ESCAPE).append('f');
          case ESCAPE -> text.append(ESCAPE).append(ESCAPE);
          default -> text.append(c);
        }
      }
    }

    /**
     * The hash of a converted row, its values taken in {@code order} (indexes into {@code values};
     * null for their own order).
     */
    static String of(Object[] values, int[] order) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < values.length; i++) {
        Object value = values[order == null ? i : order[i]];
        if (value == null) {
          text.append(NULL);
        } else {
          appendValue(text, value.toString());
        }
        text.append(SEPARATOR);
      }
      byte[] digest =
          SHA256.get().digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 16);
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
