package io.bucketload.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.source.FileVersion;
import io.bucketload.core.source.LocalFolderOutputs;
import io.bucketload.core.source.LocalFolderSource;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.Ledger;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target whose writes are visible before the commit (DynamoDB's kind) gets a file's rows from the
 * spool its validation kept: the source is opened once per file, and the rows, their values of
 * every type and their rejects are those of a second reading.
 */
class SpooledWritesTest {
  @TempDir Path dir;

  /** The memory target, telling the runner its writes show before the commit. */
  private static final class VisibleWrites implements Target {
    private final MemoryTarget target = new MemoryTarget();

    @Override
    public String describe() {
      return target.describe();
    }

    @Override
    public Ledger ledger() {
      return target.ledger();
    }

    @Override
    public LoadTransaction begin() {
      return target.begin();
    }

    @Override
    public boolean writesBeforeCommit() {
      return true;
    }

    @Override
    public void close() {}
  }

  /** The folder, counting how often each file is opened. */
  private static final class CountingSource implements Source {
    private final Source source;
    private final AtomicInteger opened = new AtomicInteger();

    CountingSource(Source source) {
      this.source = source;
    }

    @Override
    public String describe() {
      return source.describe();
    }

    @Override
    public List<SourceObject> list() throws IOException {
      return source.list();
    }

    @Override
    public boolean owns(String name) {
      return source.owns(name);
    }

    @Override
    public SourceObject resolve(String name) throws IOException {
      return source.resolve(name);
    }

    @Override
    public FileVersion identify(SourceObject object) throws IOException {
      return source.identify(object);
    }

    @Override
    public InputStream open(SourceObject object) throws IOException {
      opened.incrementAndGet();
      return source.open(object);
    }

    /** As an S3 bucket or an HTTP server: every reading is fetched. */
    @Override
    public boolean remote() {
      return true;
    }
  }

  @Test
  void eachFileIsReadFromItsSourceOnceAndLoadsEveryValueAsASecondReadingWould() throws Exception {
    Path landing = Files.createDirectories(dir.resolve("landing"));
    StringBuilder csv = new StringBuilder("id,name,amount,count,ratio,paid,day,at\n");
    for (int i = 1; i <= 20_000; i++) {
      csv.append(i)
          .append(",\"name, ")
          .append(i)
          .append(" \u00e9\",")
          .append(i % 1000)
          .append('.')
          .append(String.format("%02d", i % 100))
          .append(',')
          .append(i % 7)
          .append(",0.5,")
          .append(i % 2 == 0)
          .append(",2026-12-0")
          .append(1 + i % 9)
          .append(",2026-12-01T10:00:0")
          .append(i % 10)
          .append('\n');
    }
    csv.append("x,bad,1.00,1,0.5,true,2026-12-01,2026-12-01T10:00:00\n");
    csv.append("20001,,,,,,,\n");
    Files.writeString(landing.resolve("items.csv"), csv, StandardCharsets.UTF_8);
    PipelineSpec spec =
        new PipelineSpecReader()
            .read(
                new StringReader(
                    """
                    name: items
                    source: {path: landing, settle: 0s}
                    schema:
                      key: [id]
                      columns:
                        - {name: id, type: long}
                        - name
                        - {name: amount, type: "decimal(10,2)"}
                        - {name: count, type: int}
                        - {name: ratio, type: double}
                        - {name: paid, type: boolean}
                        - {name: day, type: date}
                        - {name: at, type: timestamp}
                    target: {table: items, mode: upsert}
                    rejects: {max: 1}
                    """),
                dir.resolve("pipeline.yaml"),
                dir);
    CountingSource source =
        new CountingSource(new LocalFolderSource(landing, spec.source().match()));
    VisibleWrites target = new VisibleWrites();

    RunReport report =
        new PipelineRunner(
                spec,
                source,
                new LocalFolderOutputs(landing),
                target,
                LoadListener.NONE,
                Clock.systemUTC())
            .run(List.of(), RunOptions.LOAD);

    FileReport file = report.files().get(0);
    assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    assertThat(source.opened.get())
        .as("opened once: validated into the spool, written from it")
        .isEqualTo(1);
    assertThat(file.stats().rowsRead()).isEqualTo(20_002);
    assertThat(file.stats().rowsRejected()).isEqualTo(1);
    assertThat(Files.readString(Path.of(file.stats().rejectsPath().orElseThrow())))
        .contains("20002,id,x,");
    List<Object[]> rows = target.target.rows("items");
    assertThat(rows).hasSize(20_001);
    Object[] row = rows.stream().filter(r -> r[0].equals(1234L)).findFirst().orElseThrow();
    assertThat(row)
        .containsExactly(
            1234L,
            "name, 1234 \u00e9",
            new BigDecimal("234.34"),
            2,
            0.5,
            true,
            LocalDate.parse("2026-12-02"),
            LocalDateTime.parse("2026-12-01T10:00:04"));
    Object[] empty = rows.stream().filter(r -> r[0].equals(20001L)).findFirst().orElseThrow();
    assertThat(empty).containsExactly(20001L, null, null, null, null, null, null, null);
  }
}
