package io.bucketload.core.transform;

import java.util.Optional;

/** The transforms cannot apply to the columns at hand; the message names the step and column. */
public final class ShapeException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String missingKey;

  /** Creates the error with a complete message. */
  public ShapeException(String message) {
    this(message, null);
  }

  private ShapeException(String message, String missingKey) {
    super(message);
    this.missingKey = missingKey;
  }

  /** The error for a key column that is not among the columns. */
  static ShapeException missingKey(String column) {
    return new ShapeException("missing key column '" + column + "' (schema.key)", column);
  }

  /** The key column that is missing, when that is the problem. */
  public Optional<String> missingKey() {
    return Optional.ofNullable(missingKey);
  }
}
