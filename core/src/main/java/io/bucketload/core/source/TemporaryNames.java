package io.bucketload.core.source;

import java.util.List;
import java.util.Locale;

/**
 * The names that tools give a file while it is still being written or copied: never loaded,
 * whatever {@code source.match} says. Hidden names ({@code .name}, also what rsync and many
 * uploaders write to), Office lock and editor backup files ({@code ~name}), and the suffixes of
 * partial downloads and copies.
 */
public final class TemporaryNames {
  private static final List<String> SUFFIXES =
      List.of(".tmp", ".temp", ".part", ".partial", ".crdownload", ".filepart", ".swp");

  private TemporaryNames() {}

  /** Whether a file or folder name (not a path) marks something incomplete or hidden. */
  public static boolean isTemporary(String name) {
    if (name.startsWith(".") || name.startsWith("~")) {
      return true;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return SUFFIXES.stream().anyMatch(lower::endsWith);
  }

  /** Whether any part of a key ({@code a/b/c.csv}) is temporary or hidden. */
  public static boolean inKey(String key) {
    for (String part : key.split("/")) {
      if (isTemporary(part)) {
        return true;
      }
    }
    return false;
  }
}
