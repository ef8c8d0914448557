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
    return schemeOf(path);
  }

  /** The URI scheme of a location ({@code s3}), or empty for a local path. */
  public static String schemeOf(String location) {
    int colon = location.indexOf("://");
    return colon > 0 ? location.substring(0, colon) : "";
  }

  /**
   * Where rejects, failed copies and exports go ({@code source.output}: a folder, relative to the
   * pipeline file's folder, or a URI such as {@code s3://bucket/prefix/}), if set; by default they
   * go beside the files.
   */
  public Optional<String> output() {
    return settings.get("output").map(String::trim).filter(value -> !value.isEmpty());
  }

  /** The root of what bucketload writes back: {@link #output()}, else the source's own path. */
  public String outputLocation() {
    return output().orElse(path);
  }

  /**
   * The local folder (a plain path or a {@code file://} URI), resolved against the pipeline file's
   * folder.
   */
  public Path localFolder() {
    return resolveLocal(path);
  }

  /**
   * A local path (a plain path or a {@code file://} URI) resolved against the pipeline file's
   * folder.
   */
  public Path resolveLocal(String location) {
    String local =
        location.startsWith("file://") ? location.substring("file://".length()) : location;
    return baseDirectory.resolve(local).normalize();
  }
}
