package io.bucketload.core.transform;

import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.schema.ValueParser;
import io.bucketload.core.schema.ValueParsers;
import io.bucketload.core.schema.ValueRejected;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A row expression of a {@code filter} step or an {@code add: {col: {expr: ...}}} column, over the
 * row's typed values: column names (bare, or in double quotes), literals ({@code 'text'}, {@code
 * 12}, {@code 1.5}, {@code true}, {@code null}), {@code + - * /}, {@code ||} (concatenation),
 * comparisons ({@code = != <> < <= > >=}), {@code and or not}, {@code in (...)}, {@code is [not]
 * null}, and the functions {@code lower upper trim length year month day coalesce}. SQL's rules for
 * NULL: an operation on NULL is NULL, and a filter keeps a row only when its condition is true.
 * Parsed and type-checked once; evaluation is thread-safe.
 */
public final class Expression {
  /** A value computed from a row. */
  public interface Evaluator {
    /** The value for one row, or null for NULL. */
    Object eval(Object[] converted, long line, FileContext file);
  }

  /** What a column name in an expression stands for at its step: its type and how to read it. */
  public record Operand(ColumnType type, Evaluator value) {}

  /** The scale of computed decimals: a column of type {@code decimal(38, 10)}. */
  public static final int DECIMAL_SCALE = 10;

  private final ColumnType type;
  private final Evaluator evaluator;

  private Expression(ColumnType type, Evaluator evaluator) {
    this.type = type;
    this.evaluator = evaluator;
  }

  /** The type of the values the expression produces. */
  public ColumnType type() {
    return type;
  }

  /** The expression's value for one row (null for NULL). */
  public Object eval(Object[] converted, long line, FileContext file) {
    return evaluator.eval(converted, line, file);
  }

  /** Whether a row passes this expression as a filter: only a true value does. */
  public boolean test(Object[] converted, long line, FileContext file) {
    return Boolean.TRUE.equals(evaluator.eval(converted, line, file));
  }

  /**
   * Parses and type-checks an expression.
   *
   * @param text the expression
   * @param columns what each column name stands for at the step; empty for an unknown column
   * @throws IllegalArgumentException with a message naming what is wrong and where
   */
  public static Expression parse(String text, Function<String, Optional<Operand>> columns) {
    Parser parser = new Parser(text, columns);
    Node node = parser.or();
    parser.skipSpaces();
    if (parser.at < text.length()) {
      throw parser.error("unexpected '" + text.substring(parser.at) + "'");
    }
    return new Expression(node.type, node.eval);
  }

  /**
   * A parsed part: its type, its evaluator, whether it is the literal {@code null}, and whether it
   * is a literal (its value is the same for every row).
   */
  private record Node(ColumnType type, Evaluator eval, boolean isNull, boolean literal) {
    Node(ColumnType type, Evaluator eval) {
      this(type, eval, false, false);
    }

    Node(ColumnType type, Evaluator eval, boolean isNull) {
      this(type, eval, isNull, isNull);
    }
  }

  private static final class Parser {
    private final String text;
    private final Function<String, Optional<Operand>> columns;
    private int at;

    Parser(String text, Function<String, Optional<Operand>> columns) {
      this.text = text;
      this.columns = columns;
    }

    IllegalArgumentException error(String message) {
      return new IllegalArgumentException(
          message + " at character " + (at + 1) + " of '" + text + "'");
    }

    void skipSpaces() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    /** Consumes a keyword (case ignored, whole word) or symbol when it comes next. */
    boolean accept(String token) {
      skipSpaces();
      if (!text.regionMatches(true, at, token, 0, token.length())) {
        return false;
      }
      int end = at + token.length();
      if (Character.isLetter(token.charAt(0))
          && end < text.length()
          && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
        return false;
      }
      at = end;
      return true;
    }

    void expect(String token) {
      if (!accept(token)) {
        throw error("expected '" + token + "'");
      }
    }

    Node or() {
      return logical("or", this::and, true);
    }

    Node and() {
      return logical("and", this::not, false);
    }

    /**
     * {@code or} (decided by a true side) or {@code and} (decided by a false side), with SQL's
     * NULL: undecided with a NULL side is NULL.
     */
    Node logical(String keyword, java.util.function.Supplier<Node> side, boolean decisive) {
      Node left = side.get();
      while (accept(keyword)) {
        Node right = side.get();
        requireBoolean(left, keyword);
        requireBoolean(right, keyword);
        Evaluator a = left.eval;
        Evaluator b = right.eval;
        left =
            new Node(
                ColumnType.BOOLEAN,
                (row, line, file) -> {
                  Object x = a.eval(row, line, file);
                  if (Boolean.valueOf(decisive).equals(x)) {
                    return decisive;
                  }
                  Object y = b.eval(row, line, file);
                  if (Boolean.valueOf(decisive).equals(y)) {
                    return decisive;
                  }
                  return x == null || y == null ? null : !decisive;
                });
      }
      return left;
    }

    Node not() {
      if (accept("not")) {
        Node inner = not();
        requireBoolean(inner, "not");
        Evaluator a = inner.eval;
        return new Node(
            ColumnType.BOOLEAN,
            (row, line, file) -> {
              Object x = a.eval(row, line, file);
              return x == null ? null : !((Boolean) x);
            });
      }
      return comparison();
    }

    Node comparison() {
      Node left = additive();
      if (accept("is")) {
        boolean negated = accept("not");
        expect("null");
        Evaluator a = left.eval;
        return new Node(
            ColumnType.BOOLEAN, (row, line, file) -> (a.eval(row, line, file) == null) != negated);
      }
      boolean negatedIn = false;
      int mark = at;
      if (accept("not")) {
        if (!accept("in")) {
          at = mark;
          return left;
        }
        negatedIn = true;
      } else if (!accept("in")) {
        for (String op : List.of("<=", ">=", "<>", "!=", "=", "<", ">")) {
          if (accept(op)) {
            Node right = additive();
            return compare(left, right, op);
          }
        }
        return left;
      }
      expect("(");
      List<Node> values = new ArrayList<>();
      do {
        values.add(additive());
      } while (accept(","));
      expect(")");
      List<Node> options = List.copyOf(values);
      for (Node option : options) {
        comparable(left, option, "in");
      }
      Evaluator a = left.eval;
      boolean negated = negatedIn;
      return new Node(
          ColumnType.BOOLEAN,
          (row, line, file) -> {
            Object x = a.eval(row, line, file);
            if (x == null) {
              return null;
            }
            boolean sawNull = false;
            for (Node option : options) {
              Object y = option.eval.eval(row, line, file);
              if (y == null) {
                sawNull = true;
              } else if (compareValues(x, y) == 0) {
                return !negated;
              }
            }
            return sawNull ? null : negated;
          });
    }

    Node compare(Node left, Node right, String op) {
      comparable(left, right, op);
      Evaluator a = left.eval;
      Evaluator b = right.eval;
      return new Node(
          ColumnType.BOOLEAN,
          (row, line, file) -> {
            Object x = a.eval(row, line, file);
            Object y = b.eval(row, line, file);
            if (x == null || y == null) {
              return null;
            }
            int c = compareValues(x, y);
            return switch (op) {
              case "=" -> c == 0;
              case "!=", "<>" -> c != 0;
              case "<" -> c < 0;
              case "<=" -> c <= 0;
              case ">" -> c > 0;
              default -> c >= 0;
            };
          });
    }

    Node additive() {
      Node left = multiplicative();
      while (true) {
        if (accept("||")) {
          Node right = multiplicative();
          Evaluator a = left.eval;
          Evaluator b = right.eval;
          left =
              new Node(
                  ColumnType.STRING,
                  (row, line, file) -> {
                    Object x = a.eval(row, line, file);
                    Object y = b.eval(row, line, file);
                    return x == null || y == null ? null : text(x) + text(y);
                  });
        } else if (accept("+")) {
          left = arithmetic(left, multiplicative(), '+');
        } else if (accept("-")) {
          left = arithmetic(left, multiplicative(), '-');
        } else {
          return left;
        }
      }
    }

    Node multiplicative() {
      Node left = unary();
      while (true) {
        if (accept("*")) {
          left = arithmetic(left, unary(), '*');
        } else if (accept("/")) {
          left = arithmetic(left, unary(), '/');
        } else {
          return left;
        }
      }
    }

    Node unary() {
      if (accept("-")) {
        Node inner = unary();
        return arithmetic(new Node(inner.type, (row, line, file) -> 0L), inner, '-');
      }
      return primary();
    }

    Node primary() {
      skipSpaces();
      if (at >= text.length()) {
        throw error("expected a value");
      }
      char c = text.charAt(at);
      if (c == '(') {
        at++;
        Node inner = or();
        expect(")");
        return inner;
      }
      if (c == '\'') {
        return constant(ColumnType.STRING, quoted('\''));
      }
      if (c == '"') {
        return column(quoted('"'));
      }
      if (Character.isDigit(c)) {
        int start = at;
        while (at < text.length()
            && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
          at++;
        }
        String number = text.substring(start, at);
        return number.contains(".")
            ? constant(ColumnType.DECIMAL, new BigDecimal(number))
            : constant(ColumnType.LONG, Long.parseLong(number));
      }
      if (Character.isLetter(c) || c == '_') {
        int start = at;
        while (at < text.length()
            && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
          at++;
        }
        String word = text.substring(start, at);
        String lower = word.toLowerCase(Locale.ROOT);
        skipSpaces();
        if (at < text.length() && text.charAt(at) == '(') {
          at++;
          return function(lower);
        }
        return switch (lower) {
          case "true" -> constant(ColumnType.BOOLEAN, true);
          case "false" -> constant(ColumnType.BOOLEAN, false);
          case "null" -> new Node(ColumnType.STRING, (row, line, file) -> null, true);
          default -> column(word);
        };
      }
      throw error("unexpected '" + c + "'");
    }

    String quoted(char quote) {
      StringBuilder out = new StringBuilder();
      at++;
      while (at < text.length()) {
        char c = text.charAt(at++);
        if (c == quote) {
          if (at < text.length() && text.charAt(at) == quote) {
            out.append(quote);
            at++;
            continue;
          }
          return out.toString();
        }
        out.append(c);
      }
      throw error("missing closing " + quote);
    }

    Node column(String name) {
      Operand operand =
          columns.apply(name).orElseThrow(() -> error("no column '" + name + "' at this step"));
      return new Node(operand.type(), operand.value());
    }

    Node function(String name) {
      List<Node> arguments = new ArrayList<>();
      skipSpaces();
      if (!accept(")")) {
        do {
          arguments.add(or());
        } while (accept(","));
        expect(")");
      }
      switch (name) {
        case "lower", "upper", "trim" -> {
          one(name, arguments);
          Evaluator a = arguments.get(0).eval;
          Function<String, String> f =
              name.equals("lower")
                  ? s -> s.toLowerCase(Locale.ROOT)
                  : name.equals("upper") ? s -> s.toUpperCase(Locale.ROOT) : String::strip;
          return new Node(
              ColumnType.STRING,
              (row, line, file) -> {
                Object x = a.eval(row, line, file);
                return x == null ? null : f.apply(text(x));
              });
        }
        case "length" -> {
          one(name, arguments);
          Evaluator a = arguments.get(0).eval;
          return new Node(
              ColumnType.LONG,
              (row, line, file) -> {
                Object x = a.eval(row, line, file);
                return x == null ? null : (long) text(x).codePointCount(0, text(x).length());
              });
        }
        case "year", "month", "day" -> {
          one(name, arguments);
          Node argument = arguments.get(0);
          if (argument.type != ColumnType.DATE && argument.type != ColumnType.TIMESTAMP) {
            throw error(name + "() takes a date or a timestamp, not " + typeName(argument.type));
          }
          ChronoField field =
              name.equals("year")
                  ? ChronoField.YEAR
                  : name.equals("month") ? ChronoField.MONTH_OF_YEAR : ChronoField.DAY_OF_MONTH;
          Evaluator a = argument.eval;
          return new Node(
              ColumnType.LONG,
              (row, line, file) -> {
                Object x = a.eval(row, line, file);
                return x instanceof TemporalAccessor t ? (long) t.get(field) : null;
              });
        }
        case "coalesce" -> {
          if (arguments.isEmpty()) {
            throw error("coalesce() takes at least one value");
          }
          ColumnType type = coalescedType(arguments);
          List<Evaluator> values = new ArrayList<>();
          for (Node argument : arguments) {
            values.add(temporalLiteral(argument, type).eval);
          }
          return new Node(
              type,
              (row, line, file) -> {
                for (Evaluator value : values) {
                  Object x = value.eval(row, line, file);
                  if (x != null) {
                    return as(type, x);
                  }
                }
                return null;
              });
        }
        default ->
            throw error(
                "unknown function "
                    + name
                    + "(); known: lower, upper, trim, length, year, month, day, coalesce");
      }
    }

    /**
     * The one type of {@code coalesce}'s values, whichever is not NULL: numbers widen to the widest
     * among them (long, then decimal, then double), a text literal is read as a date or timestamp
     * next to one ({@link #temporalLiteral}), and any other mix is refused.
     */
    ColumnType coalescedType(List<Node> arguments) {
      List<ColumnType> types =
          arguments.stream().filter(node -> !node.isNull).map(node -> node.type).toList();
      if (types.isEmpty()) {
        return ColumnType.STRING;
      }
      ColumnType first = types.get(0);
      if (types.stream().allMatch(type -> type == first)) {
        return first;
      }
      if (types.stream().allMatch(Expression::numeric)) {
        return types.contains(ColumnType.DOUBLE)
            ? ColumnType.DOUBLE
            : types.contains(ColumnType.DECIMAL) ? ColumnType.DECIMAL : ColumnType.LONG;
      }
      List<ColumnType> temporal = types.stream().filter(Expression::temporal).distinct().toList();
      boolean textIsLiteral =
          arguments.stream()
              .filter(node -> !node.isNull && node.type == ColumnType.STRING)
              .allMatch(Node::literal);
      if (temporal.size() == 1
          && textIsLiteral
          && types.stream()
              .allMatch(type -> type == temporal.get(0) || type == ColumnType.STRING)) {
        return temporal.get(0);
      }
      throw error(
          "coalesce() takes values of one type, found "
              + types.stream()
                  .distinct()
                  .map(Expression::typeName)
                  .collect(java.util.stream.Collectors.joining(" and ")));
    }

    /**
     * A text literal among {@code coalesce}'s values of a date or timestamp {@code type}, read as
     * one once, when the expression is parsed; any other value as it is.
     */
    Node temporalLiteral(Node node, ColumnType type) {
      if (!temporal(type) || node.isNull || node.type != ColumnType.STRING) {
        return node;
      }
      Object text = node.eval.eval(new Object[0], 0, null);
      try {
        return constant(type, as(type, text));
      } catch (DateTimeException e) {
        throw error(
            "coalesce(): '"
                + text
                + "' is not a "
                + typeName(type)
                + " (write e.g. '2026-01-31'"
                + (type == ColumnType.TIMESTAMP ? " or '2026-01-31 08:00:00'" : "")
                + ")");
      }
    }

    void one(String name, List<Node> arguments) {
      if (arguments.size() != 1) {
        throw error(name + "() takes one value, found " + arguments.size());
      }
    }

    Node constant(ColumnType type, Object value) {
      return new Node(type, (row, line, file) -> value, false, true);
    }

    Node arithmetic(Node left, Node right, char op) {
      if (!numeric(left.type) || !numeric(right.type)) {
        throw error(
            "'"
                + op
                + "' takes numbers, not "
                + typeName(left.type)
                + " and "
                + typeName(right.type)
                + (op == '+' ? " (join text with ||)" : ""));
      }
      boolean whole = whole(left.type) && whole(right.type) && op != '/';
      // Division gives a double, as a ratio should; decimals keep DECIMAL_SCALE places.
      boolean floating =
          left.type == ColumnType.DOUBLE || right.type == ColumnType.DOUBLE || op == '/';
      ColumnType type = whole ? ColumnType.LONG : floating ? ColumnType.DOUBLE : ColumnType.DECIMAL;
      Evaluator a = left.eval;
      Evaluator b = right.eval;
      return new Node(
          type,
          (row, line, file) -> {
            Object x = a.eval(row, line, file);
            Object y = b.eval(row, line, file);
            if (x == null || y == null) {
              return null;
            }
            if (whole) {
              long l = ((Number) x).longValue();
              long r = ((Number) y).longValue();
              return switch (op) {
                case '+' -> Math.addExact(l, r);
                case '-' -> Math.subtractExact(l, r);
                default -> Math.multiplyExact(l, r);
              };
            }
            if (floating) {
              double l = ((Number) x).doubleValue();
              double r = ((Number) y).doubleValue();
              if (op == '/' && r == 0) {
                return null;
              }
              double result =
                  switch (op) {
                    case '+' -> l + r;
                    case '-' -> l - r;
                    case '*' -> l * r;
                    default -> l / r;
                  };
              if (Double.isInfinite(result)) {
                // As a double column refuses 1e999 in a file: not a value a table should hold.
                throw new ArithmeticException("double overflow");
              }
              return result;
            }
            BigDecimal l = decimal(x);
            BigDecimal r = decimal(y);
            BigDecimal result =
                switch (op) {
                  case '+' -> l.add(r);
                  case '-' -> l.subtract(r);
                  default -> l.multiply(r);
                };
            return result.setScale(DECIMAL_SCALE, java.math.RoundingMode.HALF_UP);
          });
    }

    void requireBoolean(Node node, String op) {
      if (node.type != ColumnType.BOOLEAN) {
        throw error("'" + op + "' takes conditions, not " + typeName(node.type));
      }
    }

    void comparable(Node left, Node right, String op) {
      boolean ok =
          left.type == right.type
              || (numeric(left.type) && numeric(right.type))
              || left.isNull
              || right.isNull
              || (temporal(left.type) && right.type == ColumnType.STRING)
              || (temporal(right.type) && left.type == ColumnType.STRING);
      if (!ok) {
        throw error(
            "cannot compare "
                + typeName(left.type)
                + " with "
                + typeName(right.type)
                + " ("
                + op
                + ")");
      }
    }
  }

  private static boolean numeric(ColumnType type) {
    return type == ColumnType.INT
        || type == ColumnType.LONG
        || type == ColumnType.DECIMAL
        || type == ColumnType.DOUBLE;
  }

  private static boolean whole(ColumnType type) {
    return type == ColumnType.INT || type == ColumnType.LONG;
  }

  private static boolean temporal(ColumnType type) {
    return type == ColumnType.DATE || type == ColumnType.TIMESTAMP;
  }

  private static String typeName(ColumnType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  /** {@code value}, of a type {@link Parser#coalescedType} admits, as a value of {@code type}. */
  private static Object as(ColumnType type, Object value) {
    return switch (type) {
      case LONG -> ((Number) value).longValue();
      case DECIMAL -> decimal(value);
      case DOUBLE -> ((Number) value).doubleValue();
      case DATE -> value instanceof String text ? date(text) : value;
      case TIMESTAMP -> value instanceof String text ? timestamp(text) : value;
      default -> value;
    };
  }

  private static final ValueParser ISO_DATE =
      ValueParsers.forColumn(
          new ColumnSpec("date", ColumnType.DATE, Optional.empty(), false, 0, 0));

  private static final ValueParser ISO_TIMESTAMP =
      ValueParsers.forColumn(
          new ColumnSpec("timestamp", ColumnType.TIMESTAMP, Optional.empty(), false, 0, 0));

  /** ISO text as a date, read as a CSV value of a {@code date} column is. */
  private static LocalDate date(String text) {
    return (LocalDate) parsed(ISO_DATE, text);
  }

  /**
   * ISO text as a timestamp, read as a CSV value of a {@code timestamp} column is ({@code T} or a
   * space before the time, an offset converted to UTC), or a date alone for its midnight.
   */
  private static LocalDateTime timestamp(String text) {
    return text.length() == 10
        ? date(text).atStartOfDay()
        : (LocalDateTime) parsed(ISO_TIMESTAMP, text);
  }

  private static Object parsed(ValueParser parser, String text) {
    try {
      return parser.parse(text);
    } catch (ValueRejected e) {
      throw new DateTimeException("'" + text + "' is " + e.getMessage());
    }
  }

  private static BigDecimal decimal(Object value) {
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof Double d) {
      return BigDecimal.valueOf(d);
    }
    return BigDecimal.valueOf(((Number) value).longValue());
  }

  private static String text(Object value) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return value.toString();
  }

  /** Compares two non-null values of comparable types; a date compared with text parses it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareValues(Object x, Object y) {
    if (x instanceof Number a && y instanceof Number b) {
      if (x instanceof Double || y instanceof Double) {
        return Double.compare(a.doubleValue(), b.doubleValue());
      }
      return decimal(a).compareTo(decimal(b));
    }
    if (x instanceof LocalDate a && y instanceof String b) {
      return a.compareTo(date(b));
    }
    if (x instanceof String a && y instanceof LocalDate b) {
      return date(a).compareTo(b);
    }
    if (x instanceof LocalDateTime a && y instanceof String b) {
      return a.compareTo(timestamp(b));
    }
    if (x instanceof String a && y instanceof LocalDateTime b) {
      return timestamp(a).compareTo(b);
    }
    Objects.requireNonNull(x);
    return ((Comparable) x).compareTo(y);
  }
}
