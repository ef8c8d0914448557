package io.bucketload.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderSourceTest {
  @TempDir Path dir;

  private void touch(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** The keys a source of {@code dir} with {@code match} lists, in order. */
  private List<String> keysOf(String match) throws IOException {
    return new LocalFolderSource(dir, match).list().stream().map(SourceObject::key).toList();
  }

  @Test
  void listsMatchingKeysSortedAndSkipsOwnOutputsAndHiddenFiles() throws IOException {
    touch("b.csv", "x");
    touch("a.csv.gz", "x");
    touch("notes.txt", "x");
    touch(".hidden.csv", "x");
    touch("raw/c.csv", "x");
    touch("rejected/a.rejects.csv", "x");
    assertThat(keysOf("*.{csv,csv.gz}")).containsExactly("a.csv.gz", "b.csv");
    assertThat(keysOf("raw/*.csv")).containsExactly("raw/c.csv");
    assertThat(keysOf("**.csv")).containsExactly("b.csv", "raw/c.csv");
  }

  @Test
  void walksAsDeepAsThePatternReaches() throws IOException {
    assertThat(LocalFolderSource.depthOf("*.csv")).isEqualTo(1);
    assertThat(LocalFolderSource.depthOf("raw/*.csv")).isEqualTo(2);
    assertThat(LocalFolderSource.depthOf("{raw,raw/2026}/*.csv")).isEqualTo(3);
    assertThat(LocalFolderSource.depthOf("**.csv")).isEqualTo(Integer.MAX_VALUE);
    assertThat(LocalFolderSource.depthOf("raw/**/*.csv")).isEqualTo(Integer.MAX_VALUE);
    touch("top.csv", "x");
    touch("raw/a.csv", "x");
    touch("raw/2026/b.csv", "x");
    touch("raw/2026/11/c.csv", "x");
    assertThat(keysOf("*/*.csv")).containsExactly("raw/a.csv");
    assertThat(keysOf("{raw,raw/2026}/*.csv")).containsExactly("raw/2026/b.csv", "raw/a.csv");
    assertThat(keysOf("raw/**.csv"))
        .containsExactly("raw/2026/11/c.csv", "raw/2026/b.csv", "raw/a.csv");
    // What matches nothing is told with keys from the whole folder.
    assertThat(new LocalFolderSource(dir, "*.txt").sampleKeys(10))
        .containsExactly("raw/2026/11/c.csv", "raw/2026/b.csv", "raw/a.csv", "top.csv");
  }

  @Test
  void followsSymbolicLinksToFilesAndFoldersAndListsEachFileOnce() throws IOException {
    Path landing = Files.createDirectories(dir.resolve("landing"));
    Path store = Files.createDirectories(dir.resolve("store"));
    Files.writeString(store.resolve("real.csv"), "id\n1\n");
    Files.createDirectories(store.resolve("day1"));
    Files.writeString(store.resolve("day1/a.csv"), "id\n2\n");
    Files.writeString(landing.resolve("own.csv"), "id\n3\n");
    Files.createSymbolicLink(landing.resolve("today.csv"), store.resolve("real.csv"));
    Files.createSymbolicLink(landing.resolve("day1"), store.resolve("day1"));
    // A file of the folder by second names, before and after its own in string order; a second
    // link to a linked file; a link to nowhere; a loop; a link to the folder's parent.
    Files.createSymbolicLink(landing.resolve("0-alias.csv"), landing.resolve("own.csv"));
    Files.createSymbolicLink(landing.resolve("z-again.csv"), landing.resolve("own.csv"));
    Files.createSymbolicLink(landing.resolve("today2.csv"), store.resolve("real.csv"));
    Files.createSymbolicLink(landing.resolve("gone.csv"), store.resolve("missing.csv"));
    Files.createSymbolicLink(store.resolve("day1/up"), landing);
    Files.createSymbolicLink(landing.resolve("parent"), dir);

    assertThat(new LocalFolderSource(landing, "**.csv").list())
        .extracting(SourceObject::key)
        .containsExactly("day1/a.csv", "own.csv", "today.csv");
    assertThat(new LocalFolderSource(landing, "**.csv").resolve("today.csv").size()).isEqualTo(5);
  }

  @Test
  void aFileNamedThroughALinkHasTheKeyTheListingGivesIt() throws IOException {
    Path landing = Files.createDirectories(dir.resolve("landing"));
    Files.writeString(landing.resolve("a.csv"), "id\n1\n");
    Path alias = Files.createSymbolicLink(dir.resolve("alias"), landing);
    Files.createSymbolicLink(landing.resolve("0-alias.csv"), landing.resolve("a.csv"));
    LocalFolderSource source = new LocalFolderSource(landing, "*.csv");

    assertThat(source.resolve(alias.resolve("a.csv").toString()).key()).isEqualTo("a.csv");
    assertThat(source.resolve(landing.resolve("0-alias.csv").toString()).key()).isEqualTo("a.csv");
    assertThat(source.resolve("a.csv").key()).isEqualTo("a.csv");
    assertThat(source.list()).extracting(SourceObject::key).containsExactly("a.csv");
  }

  @Test
  void aFileNameThatIsNotValidTextFailsSayingSoNotAsRemoved() throws Exception {
    // A name Java cannot write: made by the shell, with the byte 0xFF in it.
    Process touch =
        new ProcessBuilder("sh", "-c", "printf 'id\\n1\\n' > \"$(printf 'bad\\377.csv')\"")
            .directory(dir.toFile())
            .start();
    assertThat(touch.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(touch.exitValue()).isZero();
    LocalFolderSource source = new LocalFolderSource(dir, "*.csv");

    SourceObject listed =
        org.assertj.core.api.Assertions.assertThat(source.list()).singleElement().actual();

    assertThat(listed.key()).isEqualTo("bad\uFFFD.csv");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.identify(listed))
        .isInstanceOf(SourceReadException.class)
        .hasMessageStartingWith(
            "bad\uFFFD.csv: the file's name is not valid text in this machine's encoding (")
        .hasMessageEndingWith("so it cannot be opened: rename it");
  }

  @Test
  void aChecksumBesideTheReadFailsWhenTheFileWasReplacedSinceItsReaderOpenedIt()
      throws IOException {
    touch("big.csv", "id\n1\n");
    Files.writeString(dir.resolve(".big.csv.tmp"), "id\n2\n");
    LocalFolderSource source = new LocalFolderSource(dir, "*.csv");
    SourceObject big = source.resolve("big.csv");

    // As a load does: the file is pinned, its reader opens it, and a new version of the same size
    // is renamed over it before the checksum thread first looks.
    source.pin(big);
    try (java.io.InputStream reader = source.open(big)) {
      Files.move(
          dir.resolve(".big.csv.tmp"),
          dir.resolve("big.csv"),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThat(new String(reader.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("id\n1\n");
    }

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.identify(big))
        .isInstanceOf(SourceReadException.class)
        .hasMessage(
            "big.csv: the file was replaced or rewritten while it loaded (another file now has its"
                + " name); nothing was loaded, and it loads when it stops changing");
    // Unpinned, the next run identifies the new version.
    assertThat(source.identify(source.resolve("big.csv")).size()).isEqualTo(5);
  }

  @Test
  void identifiesContentNotNamesOrTimes() throws IOException {
    touch("a.csv", "same");
    touch("b.csv", "same");
    LocalFolderSource source = new LocalFolderSource(dir, "*.csv");
    FileVersion a = source.identify(source.resolve("a.csv"));
    FileVersion b = source.identify(source.resolve("b.csv"));
    assertThat(a.checksum()).isEqualTo(b.checksum()).startsWith("sha256:");
    assertThat(a.size()).isEqualTo(4);
    touch("a.csv", "other");
    assertThat(source.identify(source.resolve("a.csv")).checksum()).isNotEqualTo(b.checksum());
  }

  @Test
  void checksumsEveryByteOfFilesAroundItsReadSize() throws Exception {
    // Empty, small, and one byte either side of the 1 MiB a checksum reads at once.
    int[] sizes = {0, 1, 10, 4095, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 7};
    java.util.Random random = new java.util.Random(20261205);
    LocalFolderSource source = new LocalFolderSource(dir, "*.csv");
    for (int size : sizes) {
      byte[] content = new byte[size];
      random.nextBytes(content);
      Files.write(dir.resolve(size + ".csv"), content);
      FileVersion version = source.identify(source.resolve(size + ".csv"));
      String expected =
          "sha256:"
              + java.util.HexFormat.of()
                  .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
      assertThat(version.checksum()).as("%d bytes", size).isEqualTo(expected);
      assertThat(version.size()).isEqualTo(size);
    }
  }

  @Test
  void writesBesideTheObjectAndPublishesOnClose() throws IOException {
    touch("in/a.csv", "x");
    LocalFolderSource source = new LocalFolderSource(dir, "**.csv");
    OutputStore.Output output =
        new LocalFolderOutputs(dir)
            .create(OutputPaths.beside(source.resolve("in/a.csv"), "rejected", "a.rejects.csv"));
    Path target = dir.resolve("in/rejected/a.rejects.csv");
    assertThat(output.location()).isEqualTo(target.toString());
    try (OutputStream out = output.stream()) {
      out.write('y');
      assertThat(target).doesNotExist();
    }
    assertThat(target).hasContent("y");
  }

  @Test
  void twoWritersOfTheSameOutputAtOnceBothSucceedAndLeaveNoTemporaryFile() throws IOException {
    LocalFolderOutputs outputs = new LocalFolderOutputs(dir);
    OutputStore.Output first = outputs.create("rejected/a.rejects.csv");
    OutputStore.Output second = outputs.create("rejected/a.rejects.csv");
    try (OutputStream one = first.stream();
        OutputStream two = second.stream()) {
      one.write('1');
      two.write('2');
    }

    assertThat(dir.resolve("rejected/a.rejects.csv")).content().isIn("1", "2");
    try (var files = Files.list(dir.resolve("rejected"))) {
      assertThat(files.map(file -> file.getFileName().toString())).containsExactly("a.rejects.csv");
    }
  }

  @Test
  void ownsTheNamesUnderItsFolderThatMatchAndNotItsOutputs() {
    LocalFolderSource source = new LocalFolderSource(dir, "**.csv");
    assertThat(source.owns("in/a.csv")).isTrue();
    assertThat(source.owns(dir.resolve("b.csv").toString())).isTrue();
    assertThat(source.owns("in/a.txt")).isFalse();
    assertThat(source.owns("in/rejected/a.rejects.csv")).isFalse();
    assertThat(source.owns("in/.hidden.csv")).isFalse();
    assertThat(source.owns("../elsewhere.csv")).isFalse();
  }

  @Test
  void filesStillBeingWrittenAreNeverListed() throws IOException {
    touch("a.csv", "x");
    for (String name :
        List.of(
            ".a.csv.swp",
            "~lock.csv",
            "b.csv.tmp",
            "c.csv.part",
            "d.csv.partial",
            "e.csv.crdownload")) {
      touch(name, "x");
    }
    touch(".staging/f.csv", "x");

    LocalFolderSource source = new LocalFolderSource(dir, "**");

    assertThat(source.list()).extracting(SourceObject::key).containsExactly("a.csv");
    assertThat(source.sampleKeys(10)).containsExactly("a.csv");
    assertThat(source.owns("b.csv.tmp")).isFalse();
    assertThat(TemporaryNames.isTemporary("report.CSV.TMP")).isTrue();
    assertThat(TemporaryNames.isTemporary("temperature.csv")).isFalse();
  }

  @Test
  void anUnknownNameIsNoSuchFile() {
    assertThatThrownBy(() -> new LocalFolderSource(dir, "*.csv").resolve("missing.csv"))
        .isInstanceOf(NoSuchFileException.class);
  }
}
