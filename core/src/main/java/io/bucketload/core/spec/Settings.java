package io.bucketload.core.spec;

import io.bucketload.core.error.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The adapter-specific keys of a pipeline section: a {@code target} (everything but {@code type},
 * {@code table} and {@code mode}), a {@code source} (everything but {@code path} and {@code match})
 * or a {@code trigger}, with what is needed to report a bad one precisely.
 */
public final class Settings {
  private final String section;
  private final Map<String, String> values;
  private final Map<String, Integer> lines;
  private final String fileName;
  private final Path baseDirectory;
  private final Set<String> readElsewhere;

  /**
   * Creates the settings.
   *
   * @param section the section's name, e.g. {@code target}, for messages
   * @param values the scalar values by key
   * @param lines each key's line in the pipeline file
   * @param fileName the pipeline file's name, for messages
   * @param baseDirectory the pipeline file's folder, against which relative paths resolve
   */
  public Settings(
      String section,
      Map<String, String> values,
      Map<String, Integer> lines,
      String fileName,
      Path baseDirectory) {
    this(section, values, lines, fileName, baseDirectory, Set.of());
  }

  /**
   * Creates the settings of a section that also has keys read elsewhere ({@code path} and {@code
   * match} of a source, {@code type}, {@code table} and {@code mode} of a target): they are not
   * among the settings, and {@link #allowOnly} names them among the valid keys.
   *
   * @param readElsewhere the section's keys that are not among these settings
   */
  public Settings(
      String section,
      Map<String, String> values,
      Map<String, Integer> lines,
      String fileName,
      Path baseDirectory,
      Set<String> readElsewhere) {
    this.section = section;
    this.values = Map.copyOf(values);
    this.lines = Map.copyOf(lines);
    this.fileName = fileName;
    this.baseDirectory = baseDirectory;
    this.readElsewhere = Set.copyOf(readElsewhere);
  }

  /** The keys set. */
  public java.util.Set<String> keys() {
    return values.keySet();
  }

  /** The pipeline file's name, for messages. */
  public String fileName() {
    return fileName;
  }

  /** No settings, for a section that is absent. */
  public static Settings none(String section, String fileName, Path baseDirectory) {
    return new Settings(section, Map.of(), Map.of(), fileName, baseDirectory);
  }

  /** A setting's value, if given. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /**
   * A whole-number setting, or the default.
   *
   * @throws ConfigException naming the key when it is not a whole number from min to max
   */
  public long number(String key, long defaultValue, long min, long max) {
    Optional<String> text = get(key).map(String::trim);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      long value = Long.parseLong(text.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw error(
        key, "expected a whole number from " + min + " to " + max + ", found '" + text.get() + "'");
  }

  /**
   * A {@code true}/{@code false} setting, or the default.
   *
   * @throws ConfigException naming the key when it is neither
   */
  public boolean flag(String key, boolean defaultValue) {
    Optional<String> text = get(key).map(String::trim);
    if (text.isEmpty()) {
      return defaultValue;
    }
    if (!text.get().equals("true") && !text.get().equals("false")) {
      throw error(key, "expected true or false, found '" + text.get() + "'");
    }
    return text.get().equals("true");
  }

  /**
   * A duration setting ({@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or {@code 0}), or the
   * default.
   *
   * @throws ConfigException naming the key when it is not a duration
   */
  public Duration duration(String key, Duration defaultValue) {
    Optional<String> text = get(key).map(String::trim);
    if (text.isEmpty()) {
      return defaultValue;
    }
    return parseDuration(text.get())
        .orElseThrow(
            () ->
                error(
                    key,
                    "'"
                        + text.get()
                        + "' is not a duration; write e.g. 500ms, 5s, 2m, 1h, 1 day or 0"));
  }

  /**
   * Parses {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or {@code 0}, and the same
   * written out: {@code 30 seconds}, {@code 5 minutes}, {@code 1 hour}, {@code 2 days}; empty when
   * invalid.
   */
  public static Optional<Duration> parseDuration(String text) {
    java.util.regex.Matcher parts =
        java.util.regex.Pattern.compile(
                "(\\d{1,9})\\s*(ms|s|m|h|d|seconds?|minutes?|hours?|days?)?")
            .matcher(text.trim());
    if (!parts.matches() || (parts.group(2) == null && !parts.group(1).equals("0"))) {
      return Optional.empty();
    }
    long amount = Long.parseLong(parts.group(1));
    String unit = parts.group(2) == null ? "s" : parts.group(2);
    return Optional.of(
        switch (unit) {
          case "ms" -> Duration.ofMillis(amount);
          case "m", "minute", "minutes" -> Duration.ofMinutes(amount);
          case "h", "hour", "hours" -> Duration.ofHours(amount);
          case "d", "day", "days" -> Duration.ofDays(amount);
          default -> Duration.ofSeconds(amount);
        });
  }

  /**
   * The same settings with {@code key} set to {@code value}, as a command-line option overrides the
   * pipeline file.
   */
  public Settings with(String key, String value) {
    Map<String, String> changed = new java.util.HashMap<>(values);
    changed.put(key, value);
    Map<String, Integer> changedLines = new java.util.HashMap<>(lines);
    changedLines.remove(key);
    return new Settings(section, changed, changedLines, fileName, baseDirectory, readElsewhere);
  }

  /**
   * The same settings with {@code key} set to {@code value} written on {@code line} of the pipeline
   * file (a key read from a nested mapping), so that errors name it.
   */
  public Settings with(String key, String value, int line) {
    Map<String, String> changed = new java.util.HashMap<>(values);
    changed.put(key, value);
    Map<String, Integer> changedLines = new java.util.HashMap<>(lines);
    changedLines.put(key, line);
    return new Settings(section, changed, changedLines, fileName, baseDirectory, readElsewhere);
  }

  /** The same settings reduced to {@code keys}, as one part of a section reads them. */
  public Settings only(Set<String> keys) {
    Map<String, String> kept = new java.util.HashMap<>(values);
    kept.keySet().retainAll(keys);
    Map<String, Integer> keptLines = new java.util.HashMap<>(lines);
    keptLines.keySet().retainAll(keys);
    return new Settings(section, kept, keptLines, fileName, baseDirectory, readElsewhere);
  }

  /** A path setting resolved against the pipeline file's folder, or the default. */
  public Path path(String key, String defaultValue) {
    return baseDirectory.resolve(get(key).orElse(defaultValue)).normalize();
  }

  /**
   * Fails on any setting not in {@code known}, naming it and every valid key of the section: {@code
   * known} and the keys read elsewhere.
   */
  public void allowOnly(Set<String> known) {
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        Set<String> valid = new TreeSet<>();
        // A mapping's own keys (headers.Authorization) are named by the mapping (headers).
        known.forEach(name -> valid.add(name.contains(".") ? name.split("\\.", 2)[0] : name));
        valid.addAll(readElsewhere);
        throw error(
            key,
            "unknown key for this " + section + "; expected one of " + String.join(", ", valid));
      }
    }
  }

  /** An error about a setting, naming the file, line and key. */
  public ConfigException error(String key, String message) {
    Integer line = lines.get(key);
    return new ConfigException(
        fileName
            + (line == null ? "" : " line " + line)
            + ": "
            + section
            + "."
            + key
            + ": "
            + message);
  }
}
