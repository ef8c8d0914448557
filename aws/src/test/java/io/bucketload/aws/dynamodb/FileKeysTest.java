package io.bucketload.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.scratch.ScratchFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The keys of a {@code sync} file, held in memory or spilled to disk: either way exactly the
 * table's items whose key the file lacks are found, with their key attributes as the table gave
 * them.
 */
class FileKeysTest {
  private static final List<String> KEY = List.of("region", "id");

  @Test
  void keysHeldInMemoryFindTheTablesItemsTheFileLacks() {
    assertFindsTheAbsentItems(new FileKeys("t", 1L << 30, 8), false);
  }

  @Test
  void keysSpilledToDiskFindTheSameItemsWithTheirKeyAttributes() {
    // 1,000 keys of about 100 bytes each in a set: spilled past 200; parts of about 125 keys fit.
    assertFindsTheAbsentItems(new FileKeys("t", 20_000, 8), true);
  }

  @Test
  void aPartWhoseKeysDoNotFitIsComparedInSharesAndFindsTheSameItems() {
    // Shares of about 20 keys: each part of about 125 takes several passes over the table's part.
    assertFindsTheAbsentItems(new FileKeys("t", 2_000, 8), true);
  }

  @Test
  void longKeysSpillSoonerThanShortOnes() {
    try (FileKeys keys = new FileKeys("t", 10 * FileKeys.footprint("k"), 4)) {
      keys.add("x".repeat(2_048));
      assertThat(keys.spilled()).as("one key of 2,048 characters, over ten short ones").isTrue();
    }
  }

  @Test
  void oneKeyOverTheBoundSpillsAndAKeyAddedTwiceStaysOne() {
    try (FileKeys keys = new FileKeys("t", 3 * FileKeys.footprint("a"), 2)) {
      for (String key : List.of("a", "b", "a", "c")) {
        keys.add(key);
      }
      assertThat(keys.spilled())
          .as("three distinct keys fit, the repeated one counted once")
          .isFalse();
      keys.add("d");
      keys.add("a");
      assertThat(keys.spilled()).isTrue();
      List<String> absent = new ArrayList<>();
      List<Map<String, AttributeValue>> table =
          Stream.of("a", "b", "c", "d", "e")
              .map(id -> Map.of("id", AttributeValue.fromS(id)))
              .toList();
      keys.absentFrom(
          table, item -> item.get("id").s(), List.of("id"), (key, item) -> absent.add(key));
      assertThat(absent).containsExactly("e");
    }
  }

  @Test
  void closingRemovesTheSpilledKeys() throws IOException {
    // Spills go to the process's scratch folder.
    Path temporary = ScratchFolder.ofProcess().path();
    Set<Path> before = spillFolders(temporary);
    FileKeys compared = new FileKeys("t", 5 * FileKeys.footprint("k0"), 4);
    FileKeys abandoned = new FileKeys("t", 5 * FileKeys.footprint("k0"), 4);
    for (int i = 0; i < 100; i++) {
      compared.add("k" + i);
      abandoned.add("k" + i);
    }
    compared.absentFrom(
        List.of(Map.of("id", AttributeValue.fromS("other"))),
        item -> item.get("id").s(),
        List.of("id"),
        (key, item) -> {});
    Set<Path> made = spillFolders(temporary);
    made.removeAll(before);
    assertThat(made).as("the file keys of both").hasSize(2);

    compared.close();
    abandoned.close();
    abandoned.close();

    assertThat(made).noneMatch(Files::exists);
  }

  @Test
  void aProcessStoppedMidLoadRemovesItsSpilledKeys() throws Exception {
    Path temporary = Files.createTempDirectory("file-keys-stop");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temporary,
                "-cp",
                System.getProperty("java.class.path"),
                SpillsThenWaits.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("spilled");
      assertThat(spillFolders(temporary)).hasSize(1);

      child.destroy(); // SIGTERM, as systemd or Kubernetes stops a service

      assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(spillFolders(temporary)).isEmpty();
    } finally {
      child.destroyForcibly();
      try (Stream<Path> left = Files.walk(temporary)) {
        left.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** Spills a few keys, says so, and waits for its standard input to end. */
  public static final class SpillsThenWaits {
    private SpillsThenWaits() {}

    /**
     * Runs the child process of {@link #aProcessStoppedMidLoadRemovesItsSpilledKeys}, with the
     * removal of the scratch folder that the command line's stop hooks make.
     */
    public static void main(String[] args) throws IOException {
      Runtime.getRuntime().addShutdownHook(new Thread(ScratchFolder::removeProcessFolder));
      FileKeys keys = new FileKeys("t", 5 * FileKeys.footprint("k0"), 4);
      for (int i = 0; i < 100; i++) {
        keys.add("k" + i);
      }
      System.out.println(keys.spilled() ? "spilled" : "held");
      System.out.flush();
      System.in.read();
    }
  }

  /**
   * 1,000 file keys (a text partition key and a number sort key), a table of 1,400 items: 900 of
   * them the file's, 500 not, some sharing a region or an id with the file's keys. The items
   * reported absent are exactly those 500, each with the attributes and types the table gave.
   */
  private static void assertFindsTheAbsentItems(FileKeys keys, boolean spills) {
    List<Map<String, AttributeValue>> table = new ArrayList<>();
    Set<Map<String, AttributeValue>> expected = new HashSet<>();
    try (keys) {
      for (int i = 0; i < 1_000; i++) {
        keys.add(keyText("eu-" + (i % 7), Integer.toString(i)));
      }
      assertThat(keys.spilled()).isEqualTo(spills);
      for (int i = 100; i < 1_000; i++) {
        table.add(item("eu-" + (i % 7), Integer.toString(i)));
      }
      for (int i = 0; i < 500; i++) {
        // A region the file lacks with an id it has, a region it has with an id it lacks.
        Map<String, AttributeValue> absent =
            i == 499
                ? item("us", "-1.5")
                : i % 2 == 0
                    ? item("eu-" + (i % 7) + "é", Integer.toString(i))
                    : item("eu-" + (i % 7), Integer.toString(1_000 + i));
        table.add(absent);
        expected.add(absent);
      }
      List<Map<String, AttributeValue>> found = new ArrayList<>();
      List<String> foundKeys = new ArrayList<>();
      keys.absentFrom(
          table,
          item -> keyText(item.get("region").s(), item.get("id").n()),
          KEY,
          (key, item) -> {
            foundKeys.add(key);
            found.add(item);
          });
      assertThat(found).hasSize(500);
      assertThat(new HashSet<>(found)).isEqualTo(expected);
      assertThat(foundKeys)
          .containsExactlyInAnyOrderElementsOf(
              expected.stream()
                  .map(item -> keyText(item.get("region").s(), item.get("id").n()))
                  .toList());
    }
  }

  private static Map<String, AttributeValue> item(String region, String id) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("region", AttributeValue.fromS(region));
    item.put("id", AttributeValue.fromN(id));
    return item;
  }

  private static String keyText(String region, String id) {
    return region.length() + ":" + region + id.length() + ":" + id;
  }

  /** The spill folders in {@code folder} and in the scratch folders it holds. */
  private static Set<Path> spillFolders(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder, 2)) {
      return files
          .filter(file -> file.getFileName().toString().startsWith("bucketload-sync-"))
          .collect(Collectors.toCollection(HashSet::new));
    }
  }
}
