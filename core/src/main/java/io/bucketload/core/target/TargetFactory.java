package io.bucketload.core.target;

import io.bucketload.core.spec.Settings;

/**
 * Opens targets of one {@code target.type}. Adapter modules register implementations as {@link
 * java.util.ServiceLoader} services.
 */
public interface TargetFactory {
  /** The {@code target.type} this factory serves, e.g. {@code duckdb}. */
  String type();

  /**
   * Checks the settings without connecting.
   *
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   */
  void check(Settings settings);

  /**
   * Whether the target runs SQL, so that a pipeline may declare {@code after_load} statements and
   * {@code exports}.
   */
  default boolean runsSql() {
    return false;
  }

  /**
   * Opens a target.
   *
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   * @throws io.bucketload.core.error.TargetException when the target cannot be reached
   */
  Target open(Settings settings);
}
