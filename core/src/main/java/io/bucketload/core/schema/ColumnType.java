package io.bucketload.core.schema;

import java.util.Locale;

/** The types a column can be declared with in {@code schema.columns}. */
public enum ColumnType {
  /** Text, loaded as is. */
  STRING,
  /** A 32-bit signed whole number. */
  INT,
  /** A 64-bit signed whole number. */
  LONG,
  /** An exact decimal number with a precision and a scale, e.g. {@code decimal(12,2)}. */
  DECIMAL,
  /** A 64-bit floating point number. */
  DOUBLE,
  /** {@code true}/{@code false} (also {@code t/f}, {@code yes/no}, {@code y/n}, {@code 1/0}). */
  BOOLEAN,
  /** A calendar date, ISO {@code yyyy-MM-dd} unless a {@code format} is given. */
  DATE,
  /** A date and time without zone; values with an offset are converted to UTC. */
  TIMESTAMP;

  /** The name used in pipeline files, e.g. {@code insert_new}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
