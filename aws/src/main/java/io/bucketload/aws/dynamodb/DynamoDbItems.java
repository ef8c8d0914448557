package io.bucketload.aws.dynamodb;

import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.RowLimit;
import io.bucketload.core.target.TargetColumn;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns rows into DynamoDB items typed from the schema: numbers as {@code N}, booleans as {@code
 * BOOL}, text, dates and timestamps (ISO-8601) as {@code S}; NULLs are omitted. Also the limits
 * DynamoDB puts on an item, checked per row. Thread-safe.
 */
final class DynamoDbItems implements RowLimit {
  /** DynamoDB's item size limit, attribute names included. */
  static final int MAX_ITEM_BYTES = 400 * 1024;

  static final int MAX_PARTITION_KEY_BYTES = 2048;
  static final int MAX_SORT_KEY_BYTES = 1024;

  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
  private static final BigDecimal MAX_MAGNITUDE =
      new BigDecimal("9.9999999999999999999999999999999999999E+125");
  private static final BigDecimal MIN_MAGNITUDE = new BigDecimal("1E-130");

  private final List<TargetColumn> columns;
  private final String[] names;
  private final int[] nameBytes;
  private final int[] keyIndexes;

  DynamoDbItems(LoadPlan plan) {
    this.columns = plan.columns();
    this.names = columns.stream().map(TargetColumn::name).toArray(String[]::new);
    this.nameBytes = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      nameBytes[i] = utf8Length(names[i]);
    }
    this.keyIndexes = new int[plan.key().size()];
    for (int k = 0; k < keyIndexes.length; k++) {
      keyIndexes[k] = indexOf(plan.key().get(k));
    }
  }

  private int indexOf(String column) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException("key column not among the columns: " + column);
  }

  /** The item of a row. */
  Map<String, AttributeValue> item(Object[] row) {
    Map<String, AttributeValue> item = new HashMap<>(names.length * 2);
    for (int i = 0; i < names.length; i++) {
      if (row[i] != null) {
        item.put(names[i], value(row[i]));
      }
    }
    return item;
  }

  /**
   * A row as the attributes a merge sets, with {@code NULL} for each empty value: the attributes a
   * merge removes.
   */
  Map<String, AttributeValue> itemWithRemovals(Object[] row) {
    Map<String, AttributeValue> item = new HashMap<>(names.length * 2);
    for (int i = 0; i < names.length; i++) {
      item.put(names[i], row[i] == null ? AttributeValue.fromNul(true) : value(row[i]));
    }
    return item;
  }

  /** The key attributes of a row. */
  Map<String, AttributeValue> key(Object[] row) {
    Map<String, AttributeValue> key = new HashMap<>(4);
    for (int index : keyIndexes) {
      key.put(names[index], value(row[index]));
    }
    return key;
  }

  /** The key of a row as one string, to tell repeated keys apart. */
  String keyText(Object[] row) {
    if (keyIndexes.length == 1) {
      return text(row[keyIndexes[0]]);
    }
    StringBuilder text = new StringBuilder();
    for (int index : keyIndexes) {
      String part = text(row[index]);
      text.append(part.length()).append(':').append(part);
    }
    return text.toString();
  }

  /** The key of an item read back from the table, in the form of {@link #keyText}. */
  String keyText(Map<String, AttributeValue> item) {
    if (keyIndexes.length == 1) {
      return attributeText(item.get(names[keyIndexes[0]]));
    }
    StringBuilder text = new StringBuilder();
    for (int index : keyIndexes) {
      String part = attributeText(item.get(names[index]));
      text.append(part.length()).append(':').append(part);
    }
    return text.toString();
  }

  private static String attributeText(AttributeValue value) {
    if (value == null) {
      return "";
    }
    return value.s() != null ? value.s() : value.n() != null ? canonicalNumber(value.n()) : "";
  }

  private static String text(Object value) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Integer || value instanceof Long) {
      return value.toString();
    }
    AttributeValue attribute = value(value);
    return attribute.s() != null ? attribute.s() : canonicalNumber(attribute.n());
  }

  private static String canonicalNumber(String number) {
    BigDecimal decimal = new BigDecimal(number).stripTrailingZeros();
    return decimal.signum() == 0 ? "0" : decimal.toPlainString();
  }

  static AttributeValue value(Object value) {
    if (value instanceof String text) {
      return AttributeValue.fromS(text);
    }
    if (value instanceof Integer || value instanceof Long) {
      return AttributeValue.fromN(value.toString());
    }
    if (value instanceof BigDecimal decimal) {
      return AttributeValue.fromN(decimal.toString());
    }
    if (value instanceof Double number) {
      return AttributeValue.fromN(BigDecimal.valueOf(number).toString());
    }
    if (value instanceof Boolean bool) {
      return AttributeValue.fromBool(bool);
    }
    if (value instanceof LocalDate date) {
      return AttributeValue.fromS(date.toString());
    }
    if (value instanceof LocalDateTime timestamp) {
      return AttributeValue.fromS(TIMESTAMP.format(timestamp));
    }
    throw new IllegalArgumentException("no DynamoDB type for " + value.getClass());
  }

  @Override
  public Optional<Violation> check(Object[] row) {
    long size = 0;
    for (int i = 0; i < names.length; i++) {
      Object value = row[i];
      if (value == null) {
        continue;
      }
      size += nameBytes[i];
      if (value instanceof String text) {
        size += utf8Length(text);
      } else if (value instanceof LocalDate || value instanceof LocalDateTime) {
        size += 26;
      } else if (value instanceof Boolean) {
        size += 1;
      } else {
        Optional<String> problem =
            value instanceof Double d
                ? numberProblem(d)
                : value instanceof BigDecimal decimal ? numberProblem(decimal) : Optional.empty();
        if (problem.isPresent()) {
          return Optional.of(new Violation(names[i], problem.get()));
        }
        size += 21;
      }
    }
    for (int k = 0; k < keyIndexes.length; k++) {
      int index = keyIndexes[k];
      if (row[index] instanceof String text) {
        int bytes = utf8Length(text);
        int max = k == 0 ? MAX_PARTITION_KEY_BYTES : MAX_SORT_KEY_BYTES;
        if (bytes == 0) {
          return Optional.of(new Violation(names[index], "a DynamoDB key cannot be empty"));
        }
        if (bytes > max) {
          return Optional.of(
              new Violation(
                  names[index],
                  "key value is "
                      + bytes
                      + " bytes, over DynamoDB's "
                      + max
                      + "-byte limit for a "
                      + (k == 0 ? "partition" : "sort")
                      + " key"));
        }
      }
    }
    if (size > MAX_ITEM_BYTES) {
      return Optional.of(
          new Violation(
              "",
              "the item is " + (size + 1023) / 1024 + " KB, over DynamoDB's 400 KB item limit"));
    }
    return Optional.empty();
  }

  private static final String OUT_OF_RANGE =
      "out of DynamoDB's number range (1E-130 to 9.99E+125 in magnitude)";

  /** A double has at most 17 significant digits, so only its range can be wrong. */
  private static Optional<String> numberProblem(double number) {
    if (Double.isNaN(number) || Double.isInfinite(number)) {
      return Optional.of("DynamoDB numbers cannot be NaN or infinite");
    }
    // 1e126 is the first double above DynamoDB's largest number (9.99...E+125, 38 nines), which
    // as a double literal would round up to it.
    double magnitude = Math.abs(number);
    return number != 0 && (magnitude >= 1e126 || magnitude < 1e-130)
        ? Optional.of(OUT_OF_RANGE)
        : Optional.empty();
  }

  private static Optional<String> numberProblem(BigDecimal number) {
    if (number.signum() == 0) {
      return Optional.empty();
    }
    BigDecimal magnitude = number.abs();
    if (magnitude.compareTo(MAX_MAGNITUDE) > 0 || magnitude.compareTo(MIN_MAGNITUDE) < 0) {
      return Optional.of(OUT_OF_RANGE);
    }
    if (number.precision() > 38 && number.stripTrailingZeros().precision() > 38) {
      return Optional.of("more than the 38 significant digits a DynamoDB number holds");
    }
    return Optional.empty();
  }

  /**
   * The length of a string in UTF-8, without encoding it. Values come from strictly decoded files,
   * so they hold no lone surrogate (one would count 3 bytes).
   */
  static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
