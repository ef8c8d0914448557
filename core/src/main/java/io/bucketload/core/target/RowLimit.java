package io.bucketload.core.target;

import java.util.Optional;

/**
 * A limit a target puts on single rows beyond their declared types (e.g. DynamoDB's 400 KB item
 * size). A row over it is rejected with its line like any other bad row, before anything is
 * written. Implementations are thread-safe.
 */
@FunctionalInterface
public interface RowLimit {
  /** No limit. */
  RowLimit NONE = row -> Optional.empty();

  /**
   * Checks a row, whose values are in the plan's column order.
   *
   * @return why the target cannot take the row, if it cannot
   */
  Optional<Violation> check(Object[] row);

  /**
   * Why a row is refused.
   *
   * @param column the column at fault, or empty for the whole row
   * @param reason the reason, for people
   */
  record Violation(String column, String reason) {}
}
