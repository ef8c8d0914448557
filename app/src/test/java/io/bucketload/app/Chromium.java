package io.bucketload.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium, the browser the page tests open pages in: the DOM it rendered, or a
 * screenshot. {@code .ci/run} installs Debian's {@code chromium} when it is missing.
 */
final class Chromium {
  private static final List<String> NAMES =
      List.of("chromium", "chromium-browser", "google-chrome");

  private Chromium() {}

  /** The DOM Chromium rendered for {@code url}, serialized. */
  static String dom(String url, Path work) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "dom", ".html");
    run(work, out, "--dump-dom", url);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** Saves a screenshot of {@code url} in a window {@code width} by {@code height}. */
  static void screenshot(String url, Path png, int width, int height, Path work)
      throws IOException, InterruptedException {
    Files.deleteIfExists(png);
    run(
        work,
        Files.createTempFile(work, "shot", ".txt"),
        "--hide-scrollbars",
        "--window-size=" + width + "," + height,
        "--screenshot=" + png.toAbsolutePath(),
        url);
    if (!Files.isRegularFile(png) || Files.size(png) == 0) {
      throw new AssertionError("Chromium wrote no screenshot of " + url);
    }
  }

  private static void run(Path work, Path out, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary());
    command.add("--headless");
    command.add("--disable-gpu");
    command.add("--no-first-run");
    command.add("--user-data-dir=" + Files.createTempDirectory(work, "chromium"));
    if ("root".equals(System.getProperty("user.name"))) {
      // Chromium's sandbox refuses to run as root (CI containers); the pages are local.
      command.add("--no-sandbox");
    }
    command.addAll(List.of(arguments));
    Path err = Files.createTempFile(work, "chromium", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Chromium did not finish in 90 s: " + command);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "Chromium failed (" + process.exitValue() + "): " + Files.readString(err));
    }
  }

  private static String binary() {
    for (String name : NAMES) {
      for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
        Path candidate = Path.of(folder, name);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    throw new AssertionError(
        "no Chromium on the PATH (" + NAMES + "): .ci/run installs Debian's chromium");
  }
}
