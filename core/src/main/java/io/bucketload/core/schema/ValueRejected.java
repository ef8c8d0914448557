package io.bucketload.core.schema;

/**
 * A value does not fit its column. Thrown on the hot path for each rejected value, so it carries no
 * stack trace.
 */
public final class ValueRejected extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates a rejection with the reason, e.g. {@code not an int}. */
  public ValueRejected(String reason) {
    super(reason, null, false, false);
  }
}
