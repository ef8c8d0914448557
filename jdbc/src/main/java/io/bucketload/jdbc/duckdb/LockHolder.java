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
 * when that process's command line shows bucketload ({@code -jar} with the launcher's {@code
 * bucketload.jar}, or its main class), else {@code another process (PID N, PROGRAM)}, so that
 * nobody looks for a run that is not there. Only the program is named, never its arguments, which
 * may hold secrets. Where the command line cannot be read (no {@code /proc}, or the process has
 * ended), the holder is {@code another process}.
 */
final class LockHolder {
  private LockHolder() {}

  private static final Pattern HELD_IN = Pattern.compile("held in (.*?) ?\\(PID (\\d+)\\)");

  /** The jar of a bucketload process, after {@code -jar}. */
  private static final Pattern BUCKETLOAD_JAR = Pattern.compile("(.*/)?bucketload[^/]*\\.jar");

  /** The main class of a bucketload process started with a class path. */
  private static final String MAIN_CLASS = "io.bucketload.app.Main";

  /** The holder of the lock that DuckDB's error {@code message} tells of. */
  static String describe(String message) {
    return describe(message, Path.of("/proc"));
  }

  /** {@link #describe(String)}, reading command lines under {@code processes}. */
  static String describe(String message, Path processes) {
    // The last "held in": the file's own path, earlier in the message, may hold the words too.
    Matcher held = HELD_IN.matcher(message);
    String program = null;
    String pid = null;
    while (held.find()) {
      program = held.group(1).strip();
      pid = held.group(2);
    }
    if (pid == null) {
      return "another process";
    }
    if (isBucketload(processes.resolve(pid).resolve("cmdline"))) {
      return "another bucketload run (PID " + pid + ")";
    }
    return "another process (PID " + pid + (program.isEmpty() ? "" : ", " + program) + ")";
  }

  private static boolean isBucketload(Path commandLine) {
    try {
      String[] arguments =
          new String(Files.readAllBytes(commandLine), StandardCharsets.UTF_8).split("\0");
      for (int i = 0; i < arguments.length; i++) {
        if (arguments[i].equals(MAIN_CLASS)
            || (arguments[i].equals("-jar")
                && i + 1 < arguments.length
                && BUCKETLOAD_JAR.matcher(arguments[i + 1]).matches())) {
          return true;
        }
      }
      return false;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
