package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./bucketload} launcher finds its own folder however it is started: through a relative
 * path with an exported {@code CDPATH}, through a symlink to it, through a symlinked folder, and
 * through the {@code PATH}. Each case runs the launcher of the checkout, copied into a folder whose
 * name has a space, beside the runnable jar this build made and the launcher's JVM options, without
 * the class archive ({@code BUCKETLOAD_CDS=off}) but in the test that makes one. That folder holds
 * no sources, so the launcher never builds. The JVM gets the options of {@code app/jvm-options},
 * and huge pages for its heap where the kernel gives them, unless {@code BUCKETLOAD_JAVA_OPTS}
 * replaces them.
 */
class LauncherIT {
  private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();

  @TempDir Path dir;
  private Path home;

  @BeforeEach
  void installTheLauncher() throws IOException {
    home = dir.resolve("bl home");
    Files.createDirectories(home.resolve("app/target"));
    Files.copy(CHECKOUT.resolve("bucketload"), home.resolve("bucketload"));
    Files.copy(CHECKOUT.resolve("app/jvm-options"), home.resolve("app/jvm-options"));
    Files.copy(CHECKOUT.resolve("app/jvm-options.sh"), home.resolve("app/jvm-options.sh"));
    Files.createSymbolicLink(
        home.resolve("app/target/bucketload.jar"), CHECKOUT.resolve("app/target/bucketload.jar"));
  }

  @Test
  void aRelativePathIsNotLookedUpInCdpath() throws Exception {
    // A folder of the same name under CDPATH, without the jar: cd would go there.
    Files.createDirectories(dir.resolve("decoy/link"));
    Files.createSymbolicLink(dir.resolve("link"), home);
    assertVersion(
        launch("link/bucketload --version", Map.of("CDPATH", dir.resolve("decoy") + ":.")));
    assertVersion(launch("'bl home/bucketload' --version", Map.of("CDPATH", ".")));
  }

  @Test
  void aSymlinkToTheLauncherOrItsFolderFindsTheJar() throws Exception {
    Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(dir.resolve("bin/bucketload"), home.resolve("bucketload"));
    Files.createSymbolicLink(dir.resolve("linked home"), home);
    assertVersion(launch("bin/bucketload --version", Map.of()));
    assertVersion(launch("'linked home/bucketload' -V", Map.of()));
    assertVersion(launch("\"$PWD/linked home/bucketload\" --version", Map.of()));
  }

  @Test
  void theLauncherFoundOnThePathFindsTheJar() throws Exception {
    Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(dir.resolve("bin/bucketload"), home.resolve("bucketload"));
    assertVersion(launch("PATH=\"$PWD/bin:$PATH\" bucketload --version", Map.of()));
  }

  @Test
  void theJvmRunsWithTheOptionsFileAndHugePagesWhereTheKernelGivesThem() throws Exception {
    Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    boolean hugePages =
        Files.isReadable(thp)
            && !Files.readString(thp, StandardCharsets.US_ASCII).contains("[never]");
    Map<String, String> printFlags = Map.of("JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags");

    List<String> flags =
        List.of(launch("'bl home/bucketload' --version", printFlags).out().split("\\s+"));

    assertThat(flags).contains("-XX:+UseSerialGC", "-XX:FreqInlineSize=100");
    if (hugePages) {
      assertThat(flags).contains("-XX:+UseTransparentHugePages");
    } else {
      assertThat(flags).doesNotContain("-XX:+UseTransparentHugePages");
    }
    Map<String, String> replaced = new HashMap<>(printFlags);
    replaced.put("BUCKETLOAD_JAVA_OPTS", "-XX:+UseSerialGC");
    String ownOptions = launch("'bl home/bucketload' --version", replaced).out();
    assertThat(ownOptions)
        .contains("-XX:+UseSerialGC")
        .doesNotContain("UseTransparentHugePages")
        .doesNotContain("FreqInlineSize");
  }

  @Test
  void theClassArchiveHoldsALambdaForEachCallSiteThatMadeIt() throws Exception {
    // Reading a pipeline makes lambdas of one signature at several call sites (String::trim in
    // SourceSpec, SpecNode::text in PipelineSpecReader): each call site needs a class of its own
    // from the archive, which the archive's small load into DuckDB also made.
    Path classes = dir.resolve("classes.log");
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: archived
        source: {path: ., match: "*.csv", settle: 0s}
        target: {path: archived.duckdb, table: archived}
        """);
    Files.writeString(dir.resolve("two.csv"), "id,name\n1,a\n2,b\n");
    Map<String, String> archiving = Map.of("BUCKETLOAD_CDS", "on");

    Launched first = launch("'bl home/bucketload' --version", archiving);
    Launched load =
        launch(
            "'bl home/bucketload' run pipeline.yaml --progress none",
            Map.of(
                "BUCKETLOAD_CDS",
                "on",
                "JAVA_TOOL_OPTIONS",
                "-Xlog:class+load=info:file=" + classes));

    assertThat(first.err()).contains("archiving the classes a load uses");
    assertThat(home.resolve("app/target/bucketload.jsa")).isNotEmptyFile();
    assertThat(load.exitCode()).isZero();
    List<String> specLambdas =
        Files.readAllLines(classes).stream()
            .filter(line -> line.contains(" io.bucketload.core.spec."))
            .filter(line -> line.contains("$$Lambda"))
            .toList();
    assertThat(specLambdas)
        .hasSizeGreaterThan(5)
        .allSatisfy(line -> assertThat(line).endsWith("source: shared objects file"));
  }

  private record Launched(int exitCode, String out, String err) {}

  /** Runs {@code command} in bash from the test's folder, with the launcher's own JVM options. */
  private Launched launch(String command, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder builder =
        new ProcessBuilder(List.of("bash", "-c", command))
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("BUCKETLOAD_CDS", "off");
    builder.environment().remove("BUCKETLOAD_JAVA_OPTS");
    builder.environment().remove("CDPATH");
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the launcher did not finish in 60 s: " + command);
    }
    return new Launched(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static void assertVersion(Launched launched) {
    assertThat(launched.err()).isEmpty();
    assertThat(launched.out()).startsWith("bucketload ").hasLineCount(1);
    assertThat(launched.exitCode()).isZero();
  }
}
