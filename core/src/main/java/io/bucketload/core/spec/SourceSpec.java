package io.bucketload.core.spec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code source} section.
 *
 * @param path a folder (relative to the pipeline file's folder) or a URI such as {@code s3://b/p/}
 * @param match a glob on object keys relative to the path
 * @param baseDirectory the pipeline file's folder
 */
public record SourceSpec(String path, String match, Path baseDirectory) {
  /** The default {@code match}: CSV files, plain or gzip-compressed. */
  public static final String DEFAULT_MATCH = "*.{csv,csv.gz}";

  /** Checks the fields. */
  public SourceSpec {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(baseDirectory, "baseDirectory");
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
