package io.bucketload.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.source.FileVersion;
import io.bucketload.core.source.OutputPaths;
import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.SourceObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class S3SourceIT {
  private static final int LARGE = 48 << 20;
  private final AwsPipeline aws = new AwsPipeline(Path.of("."));

  private S3Source source(String prefix, String match) {
    return new S3Source(aws.s3(), S3Location.parse("s3://" + aws.bucket() + "/" + prefix), match);
  }

  /** A deterministic stream of {@code size} bytes that is never held in memory whole. */
  private static InputStream pattern(long size) {
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        return position < size ? (int) (position++ * 31 % 251) : -1;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
          return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int i = 0; i < n; i++) {
          buffer[offset + i] = (byte) (position++ * 31 % 251);
        }
        return n;
      }
    };
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[1 << 16];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Test
  void listsMatchingKeysUnderThePrefixAndSkipsOutputFoldersAndHiddenKeys() throws Exception {
    aws.put("in/a.csv", "x");
    aws.put("in/sub/b.csv", "x");
    aws.put("in/readme.txt", "x");
    aws.put("in/.tmp/c.csv", "x");
    aws.put("other/d.csv", "x");

    assertThat(source("in/", "*.csv").list())
        .extracting(SourceObject::key)
        .containsExactly("a.csv");
    assertThat(source("in/", "**.csv").list())
        .extracting(SourceObject::key)
        .containsExactly("a.csv", "sub/b.csv");
    assertThat(source("in/", "*.csv").list().get(0).location())
        .isEqualTo("s3://" + aws.bucket() + "/in/a.csv");
  }

  @Test
  void streamsALargeObjectAndIdentifiesItsVersionByETag() throws Exception {
    aws.s3()
        .putObject(
            request -> request.bucket(aws.bucket()).key("in/large.csv"),
            RequestBody.fromContentProvider(() -> pattern(LARGE), LARGE, "text/csv"));
    S3Source source = source("in/", "*.csv");
    SourceObject object = source.resolve("s3://" + aws.bucket() + "/in/large.csv");

    FileVersion version = source.identify(object);
    String read;
    try (InputStream in = source.open(object)) {
      read = sha256(in);
    }

    assertThat(version.size()).isEqualTo(LARGE);
    assertThat(version.checksum()).startsWith("etag:");
    assertThat(read).isEqualTo(sha256(pattern(LARGE)));
  }

  @Test
  void anObjectIsReadByRangesOfTheVersionItsPinNamesInAnotherProcess() throws Exception {
    int size = 3 << 20;
    aws.s3()
        .putObject(
            request -> request.bucket(aws.bucket()).key("in/large.csv"),
            RequestBody.fromContentProvider(() -> pattern(size), size, "text/csv"));
    byte[] all = pattern(size).readAllBytes();
    S3Source source = source("in/", "*.csv");
    SourceObject object = source.resolve("large.csv");
    io.bucketload.core.source.FileBytes bytes = source.bytes(object, "").orElseThrow();
    SourceObject elsewhereObject = new SourceObject("large.csv", object.location(), size);

    assertThat(bytes.size()).isEqualTo(size);
    assertThat(bytes.local()).isFalse();
    assertThat(bytes.pin()).startsWith("etag:");
    try (InputStream in = bytes.open(1000, 5000)) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(all, 1000, 5000));
    }
    try (S3Source elsewhere = source("in/", "*.csv");
        InputStream in =
            elsewhere.bytes(elsewhereObject, bytes.pin()).orElseThrow().open(size - 10, size)) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(all, size - 10, size));
    }
    // Replaced: another process reading by the pin fails rather than read the new version.
    aws.put("in/large.csv", "version two");
    try (S3Source elsewhere = source("in/", "*.csv")) {
      io.bucketload.core.source.FileBytes pinned =
          elsewhere.bytes(elsewhereObject, bytes.pin()).orElseThrow();
      assertThatThrownBy(() -> pinned.open(0, 10).close())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("was replaced while it loaded");
    }
    assertThat(source.bytes(object, "").orElseThrow().size())
        .as("the size of the version identified, not the new one's")
        .isEqualTo(size);
  }

  @Test
  void anObjectReplacedAfterItWasIdentifiedIsNotMixedIn() throws Exception {
    aws.put("in/a.csv", "version one");
    S3Source source = source("in/", "*.csv");
    SourceObject object = source.resolve("a.csv");
    source.identify(object);
    aws.put("in/a.csv", "version two, longer");

    assertThatThrownBy(() -> source.open(object).close())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("was replaced while it loaded");
  }

  @Test
  void writesLargeOutputsInPartsBesideTheObjectAndDeletesThem() throws Exception {
    aws.put("in/day/a.csv", "x");
    S3Source source = source("in/", "**.csv");
    SourceObject object = source.resolve("day/a.csv");

    S3Outputs outputs = new S3Outputs(aws.s3(), S3Location.parse("s3://" + aws.bucket() + "/in/"));
    OutputStore.Output output =
        outputs.create(OutputPaths.beside(object, "rejected", "a.rejects.csv"));
    try (OutputStream out = output.stream();
        InputStream in = pattern(20 << 20)) {
      in.transferTo(out);
    }

    assertThat(output.location())
        .isEqualTo("s3://" + aws.bucket() + "/in/day/rejected/a.rejects.csv");
    try (InputStream in =
        aws.s3().getObject(r -> r.bucket(aws.bucket()).key("in/day/rejected/a.rejects.csv"))) {
      assertThat(sha256(in)).isEqualTo(sha256(pattern(20 << 20)));
    }
    try (OutputStore.Stored back = outputs.open("day/rejected/a.rejects.csv").orElseThrow()) {
      assertThat(sha256(back.stream())).as("read back").isEqualTo(sha256(pattern(20 << 20)));
      assertThat(back.modified())
          .isBetween(
              java.time.Instant.now().minusSeconds(600), java.time.Instant.now().plusSeconds(600));
    }
    assertThat(outputs.open("day/rejected/none.rejects.csv")).isEmpty();
    assertThat(outputs.delete("day/rejected/a.rejects.csv")).isTrue();
    assertThat(outputs.delete("day/rejected/a.rejects.csv")).isFalse();
    source.identify(object);
    assertThat(outputs.copy(source, object, OutputPaths.beside(object, "failed", object.name())))
        .isEqualTo("s3://" + aws.bucket() + "/in/day/failed/a.csv");
    assertThat(aws.read("in/day/failed/a.csv")).isEqualTo("x");
  }

  @Test
  void aMissingObjectOrOneOutsideThePrefixIsNoSuchFile() {
    S3Source source = source("in/", "*.csv");
    assertThatThrownBy(() -> source.resolve("nothing.csv")).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> source.resolve("s3://other-bucket/in/a.csv"))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("not in bucket " + aws.bucket());
  }
}
