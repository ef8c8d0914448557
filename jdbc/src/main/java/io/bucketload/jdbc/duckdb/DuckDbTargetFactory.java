package io.bucketload.jdbc.duckdb;

import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.TargetSpec;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.TargetFactory;
import io.bucketload.jdbc.TableDefinitions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code target.type: duckdb}. Settings: {@code path} (default {@code bucketload.duckdb}, relative
 * to the pipeline file), {@code schema} (default {@code main}), {@code memory_limit} (DuckDB's own
 * setting, e.g. {@code 1GB}), {@code threads}, {@code wait} (how long to wait for another process
 * that holds the file, default {@link #DEFAULT_WAIT}), {@code direct_read} ({@code false} keeps
 * DuckDB from reading files itself; see {@link DuckDbTarget#open}).
 */
public final class DuckDbTargetFactory implements TargetFactory {
  /** The default database file, relative to the pipeline file's folder. */
  public static final String DEFAULT_PATH = "bucketload.duckdb";

  /**
   * How long opening the file waits for another process that holds it ({@code wait}, or {@code
   * --wait} on the command line): DuckDB lets one process write a file at a time.
   */
  public static final java.time.Duration DEFAULT_WAIT = java.time.Duration.ofSeconds(60);

  /** The default DuckDB {@code memory_limit}; DuckDB spills to disk beyond it. */
  public static final String DEFAULT_MEMORY_LIMIT = "256MB";

  private static final Set<String> KEYS =
      Set.of("path", "schema", "memory_limit", "threads", "wait", "direct_read");

  /** A size DuckDB takes for {@code memory_limit}, e.g. {@code 512MB}. */
  static final Pattern MEMORY =
      Pattern.compile("\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)");

  @Override
  public String type() {
    return "duckdb";
  }

  @Override
  public void check(TargetSpec target, Set<LoadMode> modes) {
    check(target.settings());
    TableDefinitions.checkModes(target, modes);
    TableDefinitions.checkNames(target, Integer.MAX_VALUE);
  }

  private void check(Settings settings) {
    settings.allowOnly(KEYS);
    settings
        .get("memory_limit")
        .filter(value -> !MEMORY.matcher(value).matches())
        .ifPresent(
            value -> {
              throw settings.error(
                  "memory_limit", "expected a size such as 512MB or 2GB, found '" + value + "'");
            });
    settings.number("threads", 1, 1, 9999);
    settings.duration("wait", DEFAULT_WAIT);
    settings.flag("direct_read", true);
    settings
        .get("schema")
        .filter(String::isBlank)
        .ifPresent(
            value -> {
              throw settings.error("schema", "cannot be empty");
            });
    java.nio.file.Path path = settings.path("path", DEFAULT_PATH).toAbsolutePath();
    if (path.toString().indexOf('?') >= 0) {
      // The driver's URL is jdbc:duckdb:<path>?<settings>: it would open another file.
      throw settings.error(
          "path",
          "DuckDB's driver reads what follows a '?' as its settings; rename the file or the folder"
              + " that holds '?' ("
              + path
              + ")");
    }
  }

  /** {@inheritDoc} False while the database file does not exist. */
  @Override
  public boolean exists(Settings settings) {
    return java.nio.file.Files.exists(settings.path("path", DEFAULT_PATH));
  }

  /** {@inheritDoc} DuckDB's: the copy a run writes beside the database after each commit. */
  @Override
  public Optional<List<LedgerEntry>> committedHistory(
      Settings settings, String pipeline, int limit) {
    return DuckDbTarget.committedHistory(settings.path("path", DEFAULT_PATH), pipeline, limit);
  }

  @Override
  public boolean runsSql() {
    return true;
  }

  /** {@inheritDoc} DuckDB's ranges of dates and timestamps ({@link DuckDbRanges}). */
  @Override
  public io.bucketload.core.target.RowLimit rowLimit(io.bucketload.core.target.LoadPlan plan) {
    return DuckDbRanges.of(plan);
  }

  @Override
  public Target open(Settings settings) {
    check(settings);
    java.nio.file.Path path = settings.path("path", DEFAULT_PATH);
    return DuckDbTarget.open(
        path,
        settings.get("schema").orElse("main"),
        Optional.of(settings.get("memory_limit").orElse(DEFAULT_MEMORY_LIMIT)),
        settings.get("threads"),
        settings.duration("wait", DEFAULT_WAIT),
        settings.flag("direct_read", true));
  }
}
