package io.bucketload.core.schema;

/** Converts a non-null field's text into the Java value of its column type. Thread-safe. */
@FunctionalInterface
public interface ValueParser {
  /**
   * Parses one value.
   *
   * @param text the field's text, never null
   * @return the value: {@code String}, {@code Integer}, {@code Long}, {@code BigDecimal}, {@code
   *     Double}, {@code Boolean}, {@code LocalDate} or {@code LocalDateTime}
   * @throws ValueRejected when the text is not a value of the type
   */
  Object parse(String text) throws ValueRejected;
}
