package io.bucketload.core.spec;

import io.bucketload.core.error.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
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

  /**
   * The source for people: a local folder as an absolute path and an {@code s3://} prefix, each
   * with the files it matches, or a URL without the parts that may be secret (user and password,
   * query).
   */
  public String describe() {
    String scheme = scheme();
    if (path.equals(URL_INPUTS)) {
      return "the inputs' URLs";
    }
    if (scheme.equals("http") || scheme.equals("https")) {
      return urlForPeople(path);
    }
    String where = scheme.isEmpty() || scheme.equals("file") ? localFolder().toString() : path;
    return where + " (" + match + ")";
  }

  /**
   * A URL for people: its scheme, host, port and path, without user, password or query (a presigned
   * URL's signature, a token).
   */
  public static String urlForPeople(String url) {
    try {
      java.net.URI uri = new java.net.URI(url);
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
          + (uri.getPath() == null ? "" : uri.getPath());
    } catch (java.net.URISyntaxException e) {
      return "a URL that cannot be read";
    }
  }

  /** The URI scheme of the path ({@code s3}), or empty for a local folder. */
  public String scheme() {
    return schemeOf(path);
  }

  /** The path of a file set whose inputs are URLs ({@code inputs[].url}). */
  public static final String URL_INPUTS = "urls://inputs";

  /** The file name at the end of a URL's path, without query or fragment; empty when none. */
  public static String fileNameOf(String url) {
    String path;
    try {
      path = java.net.URI.create(url).getPath();
    } catch (IllegalArgumentException e) {
      return "";
    }
    return path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
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

  /** The most threads {@link #readThreads()} takes by default. */
  public static final int DEFAULT_MAX_READ_THREADS = 8;

  /**
   * How many threads read, convert and check one file ({@code source.read_threads}, 1 to 64): a
   * local file that is not compressed is cut into parts at record boundaries and its parts read at
   * once, their rows then taken in file order. By default one fewer than the machine's cores (the
   * writer to the target needs one), at least 1 and at most {@value #DEFAULT_MAX_READ_THREADS}; 1
   * reads every file on one thread.
   *
   * @throws ConfigException when the value is not a whole number from 1 to 64
   */
  public int readThreads() {
    return readThreads(true);
  }

  /**
   * {@link #readThreads()} for a run that writes to the target ({@code writes}) or one that does
   * not (a dry run, {@code validate}): by default that one takes every core, at most {@value
   * #DEFAULT_MAX_READ_THREADS}, since no writer needs one.
   *
   * @throws ConfigException when the value is not a whole number from 1 to 64
   */
  public int readThreads(boolean writes) {
    int cores = Runtime.getRuntime().availableProcessors();
    int byDefault = Math.max(1, Math.min(writes ? cores - 1 : cores, DEFAULT_MAX_READ_THREADS));
    return (int) settings.number("read_threads", byDefault, 1, 64);
  }

  /** The default {@link #settle()} of a local folder, where files are written in place. */
  public static final Duration DEFAULT_FOLDER_SETTLE = Duration.ofSeconds(2);

  /**
   * How long a file must have stayed unchanged before it loads ({@code source.settle}, e.g. {@code
   * 5s}, {@code 500ms}, {@code 0}): a file still being copied into a folder would otherwise load
   * half-written. By default {@link #DEFAULT_FOLDER_SETTLE} for a local folder, and 0 for object
   * stores, whose objects appear whole, or when a {@link #readyMarker()} says a file is complete.
   *
   * @throws ConfigException when the value is not a duration
   */
  public Duration settle() {
    boolean local = scheme().isEmpty() || scheme().equals("file");
    return settings.duration(
        "settle", local && readyMarker().isEmpty() ? DEFAULT_FOLDER_SETTLE : Duration.ZERO);
  }

  /**
   * The name of the file whose presence says a file is complete ({@code source.ready}), if set:
   * {@code "{name}.done"} (one marker per file; {@code {name}} is the file's name, {@code {stem}}
   * the name without its extensions) or {@code _SUCCESS} (one marker per folder). Markers are in
   * the file's folder and are never loaded themselves.
   *
   * @throws ConfigException when the value names a folder
   */
  public Optional<String> readyMarker() {
    Optional<String> value =
        settings.get("ready").map(String::trim).filter(text -> !text.isEmpty());
    if (value.isPresent() && (value.get().contains("/") || value.get().contains("\\"))) {
      throw new ConfigException(
          "source.ready: '"
              + value.get()
              + "' names a folder; the marker is a file name in each file's folder, such as"
              + " \"{name}.done\" or _SUCCESS");
    }
    return value;
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
