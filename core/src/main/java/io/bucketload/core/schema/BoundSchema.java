package io.bucketload.core.schema;

import io.bucketload.core.csv.RecordBytes;
import io.bucketload.core.error.DataException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A file's header bound to the declared schema: which field feeds which column, and how its text is
 * converted. Immutable and thread-safe.
 */
public final class BoundSchema {
  private final List<ColumnSpec> columns;
  private final int[] fieldIndexes;
  private final ValueParser[] parsers;
  private final int[] kinds;
  private final boolean[] required;
  private final boolean[] text;
  private final int[] plainKinds;
  private final int[] precisions;
  private final int[] scales;
  private final int fieldCount;
  private final List<String> ignoredColumns;

  private BoundSchema(
      List<ColumnSpec> columns, int[] fieldIndexes, int fieldCount, List<String> ignoredColumns) {
    this.columns = List.copyOf(columns);
    this.fieldIndexes = fieldIndexes;
    this.fieldCount = fieldCount;
    this.ignoredColumns = List.copyOf(ignoredColumns);
    this.parsers = new ValueParser[columns.size()];
    this.kinds = new int[columns.size()];
    this.required = new boolean[columns.size()];
    this.text = new boolean[columns.size()];
    this.plainKinds = new int[columns.size()];
    this.precisions = new int[columns.size()];
    this.scales = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      plainKinds[i] = PlainBytes.kind(columns.get(i));
      precisions[i] = columns.get(i).precision();
      scales[i] = columns.get(i).scale();
      parsers[i] = ValueParsers.forColumn(columns.get(i));
      kinds[i] = ValueParsers.kind(columns.get(i));
      required[i] = columns.get(i).required();
      text[i] = columns.get(i).type() == ColumnType.STRING;
    }
  }

  /**
   * Binds a header to a schema.
   *
   * @param header the header's names (or {@code column_1..n} for a file without header)
   * @param schema the declared schema
   * @param fileName the file, for messages
   * @throws DataException when the header is unusable (empty, duplicate or control-character names)
   *     or lacks a declared column
   */
  public static BoundSchema bind(List<String> header, SchemaSpec schema, String fileName) {
    return bind(header, schema, fileName, Set.of());
  }

  /**
   * Binds a header to a schema, letting the file lack the declared columns in {@code defaulted}
   * (those a {@code default} transform adds when missing).
   *
   * @throws DataException when the header is unusable or lacks another declared column
   */
  public static BoundSchema bind(
      List<String> header, SchemaSpec schema, String fileName, Set<String> defaulted) {
    return bind(header, schema, fileName, defaulted, 1);
  }

  /**
   * Binds a header found on {@code headerLine} (after lines skipped above it) to a schema.
   *
   * @throws DataException when the header is unusable or lacks a declared column
   */
  public static BoundSchema bind(
      List<String> header,
      SchemaSpec schema,
      String fileName,
      Set<String> defaulted,
      long headerLine) {
    Map<String, Integer> positions = checkHeader(header, fileName, headerLine);
    if (!schema.declaresColumns()) {
      List<ColumnSpec> columns = new ArrayList<>();
      int[] indexes = new int[header.size()];
      for (int i = 0; i < header.size(); i++) {
        columns.add(ColumnSpec.text(header.get(i), false));
        indexes[i] = i;
      }
      return new BoundSchema(columns, indexes, header.size(), List.of());
    }
    List<ColumnSpec> declared =
        schema.columns().stream()
            .filter(
                column ->
                    positions.containsKey(column.name()) || !defaulted.contains(column.name()))
            .toList();
    int[] indexes = new int[declared.size()];
    for (int i = 0; i < declared.size(); i++) {
      String name = declared.get(i).name();
      Integer position = positions.get(name);
      if (position == null) {
        String role = schema.key().contains(name) ? "schema.key" : "declared in schema.columns";
        throw new DataException(missingColumnMessage(fileName, name, role, header));
      }
      indexes[i] = position;
    }
    List<String> ignored = new ArrayList<>();
    for (String name : header) {
      if (declared.stream().noneMatch(column -> column.name().equals(name))) {
        ignored.add(name);
      }
    }
    return new BoundSchema(declared, indexes, header.size(), ignored);
  }

  /** A message for a column the file lacks, listing the header and a near match if any. */
  public static String missingColumnMessage(
      String fileName, String column, String role, List<String> header) {
    Optional<String> nearMatch =
        header.stream().filter(name -> visible(name).equalsIgnoreCase(visible(column))).findFirst();
    return fileName
        + ": missing column '"
        + column
        + "' ("
        + role
        + ")"
        + nearMatch
            .map(match -> "; the header has '" + ColumnNames.shown(match) + "'" + why(match))
            .orElse("")
        + "; header columns: "
        + listed(header)
        + delimiterHint(column, header);
  }

  /** The name as a reader sees it: invisible characters dropped, spaces at the ends stripped. */
  private static String visible(String name) {
    StringBuilder kept = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      if (!ColumnNames.invisible(name.charAt(i))) {
        kept.append(name.charAt(i));
      }
    }
    return kept.toString().strip();
  }

  private static String described(char c) {
    return String.format(java.util.Locale.ROOT, "U+%04X", (int) c)
        + " "
        + (c == '\ufeff' ? "(a byte order mark inside the text)" : Character.getName(c));
  }

  /**
   * A warning naming the header's columns whose names hold invisible characters (a zero-width
   * space, a no-break space, a byte order mark inside the text), which become part of the column's
   * name; empty when none does.
   */
  public static Optional<String> invisibleCharacters(List<String> header) {
    List<String> named = new java.util.ArrayList<>();
    for (String name : header) {
      int at = firstInvisible(name);
      if (at >= 0) {
        named.add("'" + ColumnNames.shown(name) + "' (" + described(name.charAt(at)) + ")");
      }
    }
    if (named.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "header name(s) with an invisible character, kept as part of the name: "
            + String.join(", ", named.subList(0, Math.min(named.size(), 10)))
            + (named.size() > 10 ? ", ... (" + named.size() + " in all)" : "")
            + "; remove it from the file, or rename the column (transform: [{rename: {...}}])");
  }

  /** Why a name that reads like the column's is not it. */
  private static String why(String match) {
    int at = firstInvisible(match);
    return at >= 0
        ? " (with "
            + described(match.charAt(at))
            + ", an invisible character; names must match exactly)"
        : " (names must match exactly, in case and spaces)";
  }

  /** The index of the name's first invisible character; -1 when it has none. */
  private static int firstInvisible(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (ColumnNames.invisible(name.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** The most header names a message lists; a wide file's whole header would drown it. */
  private static final int LISTED_NAMES = 30;

  /** The header's names, the first {@value #LISTED_NAMES} when there are more, with the count. */
  private static String listed(List<String> header) {
    List<String> names = header.stream().map(ColumnNames::shown).toList();
    if (names.size() <= LISTED_NAMES) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, LISTED_NAMES))
        + ", ... ("
        + header.size()
        + " in all)";
  }

  /**
   * A hint for a header of one column whose name holds another common delimiter ({@code a;b;c}): a
   * file written with {@code ;}, tabs or {@code |} read with the pipeline's delimiter, whose rows
   * then have more fields than the header wherever a value holds that delimiter (a decimal comma).
   * Empty for any other header.
   */
  public static String oneColumnHint(List<String> header) {
    if (header.size() != 1 || header.get(0) == null) {
      return "";
    }
    for (String delimiter : List.of(";", "\t", "|")) {
      if (header.get(0).contains(delimiter)) {
        return ". The header is one column holding "
            + named(delimiter)
            + ": if the file is separated by "
            + named(delimiter)
            + ", "
            + setting(delimiter);
      }
    }
    return "";
  }

  /**
   * A hint when the header reads as one separated by another common delimiter and the missing
   * column is among its parts: the usual cause is a file written with {@code ;} or tabs.
   */
  private static String delimiterHint(String column, List<String> header) {
    for (String delimiter : List.of(";", "\t", "|", ",")) {
      if (header.stream().noneMatch(name -> name.contains(delimiter))) {
        continue;
      }
      boolean found =
          header.stream()
              .flatMap(
                  name ->
                      java.util.Arrays.stream(name.split(java.util.regex.Pattern.quote(delimiter))))
              .anyMatch(part -> part.strip().equals(column));
      if (found) {
        return ". The header looks separated by " + named(delimiter) + ": " + setting(delimiter);
      }
    }
    return "";
  }

  /** A delimiter as a message names it: {@code tabs}, or {@code ';'}. */
  private static String named(String delimiter) {
    return delimiter.equals("\t") ? "tabs" : "'" + delimiter + "'";
  }

  /** The setting that reads a file with {@code delimiter}: {@code set format: {delimiter: ";"}}. */
  private static String setting(String delimiter) {
    return "set format: {delimiter: \"" + (delimiter.equals("\t") ? "\\t" : delimiter) + "\"}";
  }

  private static Map<String, Integer> checkHeader(
      List<String> header, String fileName, long headerLine) {
    Map<String, Integer> positions = new HashMap<>();
    Map<String, Integer> folded = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i);
      String where = fileName + " line " + headerLine + ", column " + (i + 1) + ": ";
      if (name == null || name.isBlank()) {
        throw new DataException(where + "the header has an empty column name");
      }
      for (int c = 0; c < name.length(); c++) {
        if (Character.isISOControl(name.charAt(c))) {
          throw new DataException(
              where
                  + "column name '"
                  + name.replaceAll("\\p{Cntrl}", "?")
                  + "' contains a control character"
                  + (name.indexOf('\t') >= 0
                      ? ". The header looks separated by " + named("\t") + ": " + setting("\t")
                      : name.indexOf('\0') >= 0
                          ? ". NUL characters between the letters are how UTF-16 text reads as"
                              + " a one-byte encoding: if the file is UTF-16, set format: {encoding:"
                              + " UTF-16LE} (or UTF-16BE)"
                          : ""));
        }
      }
      if (ColumnNames.folded(name).startsWith("__bucketload")) {
        throw new DataException(
            where
                + "column name '"
                + name
                + "' starts with __bucketload, which bucketload keeps for the columns of its own"
                + " work tables: rename it in the file");
      }
      Integer previous = folded.put(ColumnNames.folded(name), i);
      if (previous != null) {
        throw new DataException(
            where
                + "duplicate column name '"
                + name
                + "' (also column "
                + (previous + 1)
                + "; names are compared ignoring the case of ASCII letters)");
      }
      positions.put(name, i);
    }
    return positions;
  }

  /** The bound columns, in load order, before transforms. */
  public List<ColumnSpec> columns() {
    return columns;
  }

  /** The index of the record's field that converted column {@code column} is read from. */
  public int fieldIndexOf(int column) {
    return fieldIndexes[column];
  }

  /** The number of fields every record must have. */
  public int fieldCount() {
    return fieldCount;
  }

  /** Header columns that are not declared and therefore not loaded. */
  public List<String> ignoredColumns() {
    return ignoredColumns;
  }

  /**
   * Converts one record's fields (a null element is a NULL) into column values.
   *
   * @throws RowRejected naming the first column whose value does not fit
   */
  public Object[] convert(String[] fields) throws RowRejected {
    Object[] values = new Object[parsers.length];
    List<RowRejected.Problem> problems = null;
    for (int i = 0; i < parsers.length; i++) {
      String value = fields[fieldIndexes[i]];
      if (value == null || (!text[i] && value.isEmpty())) {
        if (required[i]) {
          problems = add(problems, columns.get(i).name(), "", "required value is missing");
        }
        continue;
      }
      try {
        values[i] = kinds[i] == ValueParsers.TEXT ? value : parse(i, value);
      } catch (ValueRejected e) {
        problems = add(problems, columns.get(i).name(), value, e.getMessage());
      }
    }
    if (problems != null) {
      throw new RowRejected(problems);
    }
    return values;
  }

  /**
   * Converts a record read as bytes, as {@link #convert(String[])} converts its text: a value in a
   * plain form of its type straight from its bytes, any other from its text. Empty when the record
   * is a reject (its fields' count, a missing value, a value that does not convert): {@link
   * #convert(String[])} of its text then names every reason.
   */
  public Optional<Object[]> convert(RecordBytes record) {
    if (record.fieldCount() != fieldCount) {
      return Optional.empty();
    }
    Object[] values = new Object[parsers.length];
    for (int i = 0; i < parsers.length; i++) {
      int field = fieldIndexes[i];
      Object value = text[i] ? record.text(field) : valueOf(i, record, field);
      if (value == null) {
        if (required[i]) {
          return Optional.empty();
        }
      } else if (value == PlainBytes.NOT_PLAIN) {
        return Optional.empty();
      } else {
        values[i] = value;
      }
    }
    return Optional.of(values);
  }

  /**
   * The value of column {@code i} (not text) from {@code field} of {@code record}: null for a
   * missing value, {@link PlainBytes#NOT_PLAIN} for one its text does not convert to.
   */
  private Object valueOf(int i, RecordBytes record, int field) {
    if (record.unquoted(field)) {
      int start = record.start(field);
      int end = record.end(field);
      if (start == end) {
        return null;
      }
      Object value =
          PlainBytes.convert(plainKinds[i], record.buffer(), start, end, precisions[i], scales[i]);
      if (value != PlainBytes.NOT_PLAIN) {
        return value;
      }
    }
    return valueOfText(i, record.text(field));
  }

  /** {@link #valueOf} from the field's text. */
  private Object valueOfText(int i, String written) {
    if (written == null || written.isEmpty()) {
      return null;
    }
    try {
      return parse(i, written);
    } catch (ValueRejected e) {
      return PlainBytes.NOT_PLAIN;
    }
  }

  /** The value of column {@code i} (not text) of the text {@code written}, not empty. */
  private Object parse(int i, String written) throws ValueRejected {
    return kinds[i] == ValueParsers.GENERIC
        ? parsers[i].parse(written)
        : ValueParsers.parse(kinds[i], written);
  }

  /** Adds a column's failure to the row's, creating the list at the first. */
  private static List<RowRejected.Problem> add(
      List<RowRejected.Problem> problems, String column, String value, String reason) {
    List<RowRejected.Problem> all = problems == null ? new ArrayList<>(2) : problems;
    all.add(new RowRejected.Problem(column, value, reason));
    return all;
  }
}
