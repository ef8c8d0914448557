package io.bucketload.core.spec;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code source} section.
 *
 * @param path a folder (relative to the pipeline file's folder) or a URI such as {@code s3://b/p/}
 * @param match a glob on object keys relative to the path
 * @param baseDirectory the pipeline file's folder
 * @param settings the source-specific keys (e.g. an object store's {@code region})
 */
public record SourceSpec(String path, String match, Path baseDirectory, Settings settings) {
  /** The default {@code match}: CSV files, plain or gzip-compressed. */
  public static final String DEFAULT_MATCH = "*.{csv,csv.gz}";

  /** Checks the fields. */
  public SourceSpec {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(baseDirectory, "baseDirectory");
    Objects.requireNonNull(settings, "settings");
  }

  /** The default folder, beside each file, for its rejects. */
  public static final String DEFAULT_REJECTED_FOLDER = "rejected";

  /** The default folder, beside each file in an object store, for copies of files that failed. */
  public static final String DEFAULT_FAILED_FOLDER = "failed";

  /** The folder beside each file where its rejects go ({@code source.rejected}). */
  public String rejectedFolder() {
    return settings.get("rejected").map(String::trim).orElse(DEFAULT_REJECTED_FOLDER);
  }

  /**
   * The folder beside each file where a copy of a file that failed on its data goes ({@code
   * source.failed}): by default {@code failed} in an object store, where the file may be replaced
   * or expire, and none for a local folder, where it stays as it is. {@code none} turns it off.
   */
  public Optional<String> failedFolder() {
    String value =
        settings
            .get("failed")
            .map(String::trim)
            .orElse(scheme().isEmpty() || scheme().equals("file") ? "none" : DEFAULT_FAILED_FOLDER);
    return value.isEmpty() || value.equals("none") ? Optional.empty() : Optional.of(value);
  }

  /** The URI scheme of the path ({@code s3}), or empty for a local folder. */
  public String scheme() {
    int colon = path.indexOf("://");
    return colon > 0 ? path.substring(0, colon) : "";
  }

  /**
   * The local folder (a plain path or a {@code file://} URI), resolved against the pipeline file's
   * folder.
   */
  public Path localFolder() {
    String local = path.startsWith("file://") ? path.substring("file://".length()) : path;
    return baseDirectory.resolve(local).normalize();
  }
}
