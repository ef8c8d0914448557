package io.bucketload.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link SparkLoad} as {@code spark-submit} does: in a JVM of its own, with Spark's own jars
 * (resolved apart from bucketload's dependencies) and bucketload-spark.jar on the classpath.
 */
final class SparkJob {
  /** What a finished job printed and returned. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private SparkJob() {}

  /**
   * Runs the driver with {@code args} in {@code dir}, with {@code env} added to its environment and
   * {@code conf} as Spark settings ({@code -Dspark.x=y}); fails after 4 minutes.
   */
  static Result run(Path dir, Map<String, String> env, Map<String, String> conf, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option :
        Files.readAllLines(Path.of(System.getProperty("bucketload.spark.jvm-options")))) {
      if (!option.isBlank() && !option.startsWith("#")) {
        command.add(option.trim());
      }
    }
    command.add("-Xmx768m");
    command.add("-Dspark.ui.enabled=false");
    command.add("-Dspark.driver.host=127.0.0.1");
    command.add("-Dspark.driver.bindAddress=127.0.0.1");
    conf.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    // Spark's jars first, as spark-submit puts them (the user's jar is loaded parent-first).
    command.add(
        Files.readString(Path.of(System.getProperty("bucketload.spark.classpath"))).trim()
            + java.io.File.pathSeparator
            + System.getProperty("bucketload.spark.jar"));
    command.add(SparkLoad.class.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "spark", ".out");
    Path err = Files.createTempFile(dir, "spark", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(4, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          "the Spark job did not end within 4 minutes:\n" + Files.readString(err));
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
