package io.bucketload.jdbc.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.target.FileStatus;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local file whose size the ledger never saw loads while it is checksummed: its report and its
 * ledger entry carry its checksum all the same, and what the ledger knows by checksum (a version
 * loaded, a version that failed on its data) is still found for a file of a size it saw.
 */
class ChecksumAlongsideIT {
  private static final String PIPELINE =
      """
      name: orders
      source: {path: landing, settle: 0s}
      schema:
        columns:
          - {name: id, type: long, required: true}
          - {name: amount, type: "decimal(12,2)"}
      target: {path: test.duckdb, table: orders, mode: append, direct_read: %s}
      """;

  @TempDir Path dir;
  LoadFixture fixture;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new LoadFixture(dir);
  }

  /** A file of a little over 1 MiB: {@code rows} rows, the amounts ending in {@code cents}. */
  private Path orders(String name, int rows, String cents) throws IOException {
    Path file = fixture.landing.resolve(name);
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write("id,amount\n");
      for (int i = 0; i < rows; i++) {
        out.write(i + "," + (i % 1000) + "." + cents + "\n");
      }
    }
    return file;
  }

  private static String sha256(Path file) throws Exception {
    return "sha256:"
        + HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void aNewLargeFileCarriesItsChecksumAndLoadsOnceByEitherReader() throws Exception {
    for (String direct : new String[] {"true", "false"}) {
      Path pipeline = fixture.pipeline(PIPELINE.formatted(direct));
      Path file = orders("a-" + direct + ".csv", 100_000, "25");
      assertThat(Files.size(file)).isGreaterThan(1 << 20);

      RunReport first = fixture.run(pipeline, file.getFileName().toString());
      FileReport report = first.files().get(0);
      assertThat(report.status()).isEqualTo(FileStatus.LOADED);
      assertThat(report.version()).hasValue(sha256(file));
      assertThat(
              fixture.query(
                  "SELECT size || ' ' || checksum FROM bucketload_ledger WHERE file = '"
                      + file.getFileName()
                      + "'"))
          .containsExactly(Files.size(file) + " " + sha256(file));

      RunReport again = fixture.run(pipeline, file.getFileName().toString());
      assertThat(again.files().get(0).status()).isEqualTo(FileStatus.SKIPPED);
    }
    assertThat(fixture.count("orders")).isEqualTo(200_000);
  }

  @Test
  void aNewVersionOfTheSameSizeLoadsAndAVersionThatFailedStaysFailed() throws Exception {
    Path pipeline = fixture.pipeline(PIPELINE.formatted("true"));
    Path file = orders("a.csv", 100_000, "25");
    assertThat(fixture.run(pipeline, "a.csv").files().get(0).status()).isEqualTo(FileStatus.LOADED);

    // Same size, other bytes: the ledger saw the size, so the file is checksummed before it loads.
    orders("a.csv", 100_000, "75");
    FileReport second = fixture.run(pipeline, "a.csv").files().get(0);
    assertThat(second.status()).isEqualTo(FileStatus.LOADED);
    assertThat(second.version()).hasValue(sha256(file));
    assertThat(fixture.query("SELECT count(*), sum(amount) FROM orders"))
        .containsExactly("200000|100000000.00");

    // A size the ledger never saw, and a row without its required id: the file fails on its data
    // while it is checksummed, and its failure is recorded under its checksum, so that the same
    // bytes are not tried again.
    Files.writeString(file, Files.readString(file).replace("\n5,", "\n,"));
    FileReport failed = fixture.run(pipeline, "a.csv").files().get(0);
    assertThat(failed.status()).isEqualTo(FileStatus.FAILED);
    assertThat(failed.version()).hasValue(sha256(file));
    FileReport again = fixture.run(pipeline, "a.csv").files().get(0);
    assertThat(again.status()).isEqualTo(FileStatus.FAILED);
    assertThat(again.outcome().toString()).contains("failed before");
    assertThat(fixture.count("orders")).isEqualTo(200_000);
  }
}
