package io.bucketload.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the bucketload command line as a separate JVM, on the test's classpath. */
final class CliProcess {
  private CliProcess() {}

  /** The finished process's exit code and output. */
  record Result(int exitCode, String out, String err) {}

  static ProcessBuilder builder(Path workDir, Path errFile, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.redirectError(errFile.toFile());
    return builder;
  }

  static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    return run(workDir, Map.of(), args);
  }

  /** Runs the command line with extra environment variables. */
  static Result run(Path workDir, Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    ProcessBuilder builder = builder(workDir, err, args).redirectOutput(out.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("bucketload did not finish in 120 s: " + List.of(args));
    }
    Result result =
        new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return result;
  }
}
