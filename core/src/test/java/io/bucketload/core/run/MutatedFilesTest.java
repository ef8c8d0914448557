package io.bucketload.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.source.LocalFolderOutputs;
import io.bucketload.core.source.LocalFolderSource;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files damaged in every way a transfer or an export damages them, made by a seeded generator: each
 * one loads (with its bad rows rejected) or fails on its data with a message naming it; none is a
 * system failure, and the table holds exactly the rows reported loaded.
 */
class MutatedFilesTest {
  private static final long SEED = 20261201L;
  private static final int FILES = 320;
  private static final String PIPELINE =
      """
      name: mutated
      source: {path: landing, settle: 0s, match: "*.{csv,csv.gz}"}
      format: {max_record_chars: 4000, max_field_chars: 1000}
      schema:
        columns:
          - {name: id, type: long, required: true}
          - {name: name, type: string}
          - {name: amount, type: "decimal(10,2)"}
          - {name: day, type: date}
      target: {table: rows, mode: append}
      rejects: {max: 50%}
      """;

  @TempDir Path dir;

  private enum Mutation {
    TRUNCATED_GZIP,
    CORRUPT_GZIP,
    INVALID_UTF8,
    NUL_BYTES,
    BINARY_GARBAGE,
    UNTERMINATED_QUOTE,
    LONG_LINE,
    CUT_BYTES,
    STRAY_DELIMITERS,
    HEADER_ONLY
  }

  @Test
  void everyDamagedFileLoadsOrFailsOnItsDataAndTheTableHoldsExactlyTheLoadedRows()
      throws IOException {
    Random random = new Random(SEED);
    Path landing = dir.resolve("landing");
    Files.createDirectories(landing);
    List<Mutation> applied = new ArrayList<>();
    for (int i = 0; i < FILES; i++) {
      Mutation mutation = Mutation.values()[i % Mutation.values().length];
      applied.add(mutation);
      byte[] clean = csv(random, 20 + random.nextInt(200));
      byte[] damaged = mutate(mutation, clean, random);
      String name = String.format("f%03d-%s.csv", i, mutation.name().toLowerCase());
      if (mutation == Mutation.TRUNCATED_GZIP || mutation == Mutation.CORRUPT_GZIP) {
        name += ".gz";
      }
      Files.write(landing.resolve(name), damaged);
    }
    PipelineSpec spec =
        new PipelineSpecReader()
            .read(new StringReader(PIPELINE), dir.resolve("pipeline.yaml"), dir);
    MemoryTarget target = new MemoryTarget();

    RunReport report =
        new PipelineRunner(
                spec,
                new LocalFolderSource(landing, spec.source().match()),
                new LocalFolderOutputs(landing),
                target,
                LoadListener.NONE,
                Clock.systemUTC())
            .run(List.of(), RunOptions.LOAD);

    assertThat(report.files()).hasSize(FILES);
    long loadedRows = 0;
    int loaded = 0;
    int failed = 0;
    for (FileReport file : report.files()) {
      FileOutcome outcome = file.outcome();
      assertThat(outcome)
          .as("%s: %s", file.file(), file.error().orElse(""))
          .isInstanceOfAny(FileOutcome.Loaded.class, FileOutcome.FailedOnData.class);
      if (outcome instanceof FileOutcome.Loaded) {
        loaded++;
        loadedRows += file.rowsLoaded();
        assertThat(file.rowsLoaded() + file.rowsRejected())
            .as("loaded + rejected = read for %s", file.file())
            .isEqualTo(file.rowsRead());
      } else {
        failed++;
        assertThat(file.error().orElseThrow())
            .as("the message names the file")
            .contains(file.file());
      }
    }
    assertThat(target.rows("rows")).hasSize((int) loadedRows);
    assertThat(loaded).as("some damaged files still load").isPositive();
    assertThat(failed).as("some damaged files fail").isPositive();
    assertThat(applied).containsAll(Arrays.asList(Mutation.values()));
  }

  private static byte[] csv(Random random, int rows) {
    StringBuilder text = new StringBuilder("id,name,amount,day\n");
    for (int i = 1; i <= rows; i++) {
      text.append(i)
          .append(",\"name ")
          .append(random.nextInt(1000))
          .append(", ok\",")
          .append(random.nextInt(100_000) / 100.0)
          .append(",2026-")
          .append(String.format("%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28)))
          .append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] mutate(Mutation mutation, byte[] clean, Random random) throws IOException {
    return switch (mutation) {
      case TRUNCATED_GZIP -> {
        byte[] gzip = gzip(clean);
        yield Arrays.copyOf(gzip, 1 + random.nextInt(gzip.length - 1));
      }
      case CORRUPT_GZIP -> {
        byte[] gzip = gzip(clean);
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
          int at = 10 + random.nextInt(gzip.length - 10);
          gzip[at] = (byte) (gzip[at] ^ (1 + random.nextInt(255)));
        }
        yield gzip;
      }
      case INVALID_UTF8 -> insert(clean, random, new byte[] {(byte) 0xC3, (byte) 0x28});
      case NUL_BYTES -> insert(clean, random, new byte[] {0});
      case BINARY_GARBAGE -> {
        byte[] garbage = new byte[1 + random.nextInt(4096)];
        random.nextBytes(garbage);
        yield random.nextBoolean() ? garbage : insert(clean, random, garbage);
      }
      case UNTERMINATED_QUOTE -> insert(clean, random, new byte[] {'"'});
      case LONG_LINE -> insert(clean, random, "x".repeat(5000).getBytes(StandardCharsets.UTF_8));
      case CUT_BYTES -> {
        int from = random.nextInt(clean.length);
        int to = Math.min(clean.length, from + 1 + random.nextInt(200));
        byte[] cut = new byte[clean.length - (to - from)];
        System.arraycopy(clean, 0, cut, 0, from);
        System.arraycopy(clean, to, cut, from, clean.length - to);
        yield cut;
      }
      case STRAY_DELIMITERS -> insert(clean, random, new byte[] {',', ','});
      case HEADER_ONLY -> "id,name,amount,day\n".getBytes(StandardCharsets.UTF_8);
    };
  }

  private static byte[] insert(byte[] clean, Random random, byte[] extra) {
    int at = random.nextInt(clean.length + 1);
    byte[] out = new byte[clean.length + extra.length];
    System.arraycopy(clean, 0, out, 0, at);
    System.arraycopy(extra, 0, out, at, extra.length);
    System.arraycopy(clean, at, out, at + extra.length, clean.length - at);
    return out;
  }

  private static byte[] gzip(byte[] clean) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(clean);
    }
    return bytes.toByteArray();
  }
}
