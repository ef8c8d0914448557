package io.bucketload.core.spec;

import io.bucketload.core.target.LoadMode;
import java.util.Objects;

/**
 * The {@code target} section.
 *
 * @param type the target type, e.g. {@code duckdb}
 * @param table the table rows are loaded into
 * @param mode the load mode
 * @param settings the type-specific settings
 * @param line the section's line in the pipeline file
 * @param allowEmpty whether a file without rows may load in {@code replace} and {@code sync}, which
 *     then empty the table ({@code target.allow_empty}); refused by default
 */
public record TargetSpec(
    String type, String table, LoadMode mode, Settings settings, int line, boolean allowEmpty) {
  /** The default target type. */
  public static final String DEFAULT_TYPE = "duckdb";

  /** Checks the fields. */
  public TargetSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(settings, "settings");
  }
}
