package io.bucketload.jdbc.duckdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the process that holds a DuckDB file this process could not lock, from DuckDB's error
 * ({@code Conflicting lock is held in PROGRAM (PID N)}): {@code another bucketload run (PID N)}
 * when that process's command line shows bucketload (the launcher's {@code bucketload.jar}, or its
 * main class), else {@code another process (PID N, PROGRAM)}, so that nobody looks for a run that
 * is not there. Only the program is named, never its arguments, which may hold secrets. Where the
 * command line cannot be read (no {@code /proc}, or the process has ended), the holder is {@code
 * another process}.
 */
final class LockHolder {
  private LockHolder() {}

  private static final Pattern HELD_IN = Pattern.compile("held in (.*?) ?\\(PID (\\d+)\\)");

  /** An argument of a bucketload process: its main class, or its jar. */
  private static final Pattern BUCKETLOAD_ARGUMENT =
      Pattern.compile("io\\.bucketload\\.app\\.Main|(.*/)?bucketload[^/]*\\.jar");

  /** The holder of the lock that DuckDB's error {@code message} tells of. */
  static String describe(String message) {
    return describe(message, Path.of("/proc"));
  }

  /** {@link #describe(String)}, reading command lines under {@code processes}. */
  static String describe(String message, Path processes) {
    Matcher held = HELD_IN.matcher(message);
    if (!held.find()) {
      return "another process";
    }
    String program = held.group(1).strip();
    String pid = held.group(2);
    if (isBucketload(processes.resolve(pid).resolve("cmdline"))) {
      return "another bucketload run (PID " + pid + ")";
    }
    return "another process (PID " + pid + (program.isEmpty() ? "" : ", " + program) + ")";
  }

  private static boolean isBucketload(Path commandLine) {
    try {
      String arguments = new String(Files.readAllBytes(commandLine), StandardCharsets.UTF_8);
      for (String argument : arguments.split("\0")) {
        if (BUCKETLOAD_ARGUMENT.matcher(argument).matches()) {
          return true;
        }
      }
      return false;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
