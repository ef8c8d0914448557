package io.bucketload.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.aws.LocalAws;
import io.bucketload.aws.MutableClock;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.target.FileClaimedException;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class DynamoDbLedgerIT {
  private static final Duration LEASE = Duration.ofSeconds(60);
  private final DynamoDbClient client = LocalAws.dynamoDb();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T08:00:00Z"));
  private final String table = "ledger_" + System.nanoTime();
  private final FileVersion version = new FileVersion("in/day1.csv", 10, "etag:abc");

  private DynamoDbLedger ledger() {
    DynamoDbTables.ensureLedger(client, table);
    return new DynamoDbLedger(client, table, clock, LEASE);
  }

  private LedgerEntry loaded(String runId) {
    return loaded(runId, version);
  }

  private LedgerEntry loaded(String runId, FileVersion file) {
    return new LedgerEntry(
        "p",
        runId,
        file,
        FileStatus.LOADED,
        clock.instant(),
        clock.instant(),
        3,
        0,
        LoadCounts.written(3),
        Optional.empty(),
        Optional.empty(),
        "def1",
        "watch pass of 1 file(s)");
  }

  @Test
  void aTriggersLastRunIsKeptPerPipelineAndKind() {
    DynamoDbLedger ledger = ledger();
    Instant due = Instant.parse("2026-12-01T06:00:00Z");

    assertThat(ledger.lastTriggered("p", "schedule")).isEmpty();
    ledger.recordTriggered("p", "schedule", due);
    ledger.recordTriggered("p", "schedule", due.plusSeconds(86_400));

    assertThat(ledger.lastTriggered("p", "schedule")).hasValue(due.plusSeconds(86_400));
    assertThat(ledger.lastTriggered("q", "schedule")).isEmpty();
    assertThat(ledger.history("p", 10)).as("not a run of a file").isEmpty();
  }

  @Test
  void theNotificationsOfARunAreKeptBesideItsHistory() {
    DynamoDbLedger ledger = ledger();
    ledger.recordNotifications(
        "p",
        "run-a",
        List.of(
            new io.bucketload.core.notify.Delivered(
                "webhook https://hooks", true, Optional.empty()),
            new io.bucketload.core.notify.Delivered(
                "email to 1 recipient(s)", false, Optional.of("connection refused"))));

    Map<String, List<io.bucketload.core.notify.Delivered>> found =
        ledger.notifications("p", List.of("run-a", "run-b"));

    assertThat(found).containsOnlyKeys("run-a");
    assertThat(found.get("run-a"))
        .extracting(io.bucketload.core.notify.Delivered::delivered)
        .containsExactly(true, false);
    assertThat(found.get("run-a").get(1).error()).hasValue("connection refused");
    assertThat(ledger.history("p", 10)).isEmpty();
  }

  @Test
  void aSecondWorkerWaitsWhileTheClaimIsHeld() {
    DynamoDbLedger ledger = ledger();
    ledger.claim("p", version, "", "run-a", "worker-a");
    clock.advance(LEASE.minusSeconds(1));

    assertThatThrownBy(() -> ledger.claim("p", version, "", "run-b", "worker-b"))
        .isInstanceOf(FileClaimedException.class)
        .hasMessageContaining("being loaded by another worker (run run-a, claim held until");
  }

  @Test
  void aClaimWhoseLeaseRanOutIsTakenOverAndItsOwnerCannotRecordTheLoad() {
    DynamoDbLedger ledger = ledger();
    ledger.claim("p", version, "", "run-a", "worker-a");
    clock.advance(LEASE.plusSeconds(1));

    ledger.claim("p", version, "", "run-b", "worker-b");

    assertThat(ledger.renew("p", version, "worker-a")).isFalse();
    assertThatThrownBy(() -> ledger.markLoaded(loaded("run-a"), "worker-a"))
        .isInstanceOf(TargetException.class)
        .hasMessageContaining("another worker took over");
    ledger.markLoaded(loaded("run-b"), "worker-b");
    assertThat(ledger.lookup("p", version).currentLoad()).map(LedgerEntry::runId).hasValue("run-b");
    assertThat(ledger.history("p", 10)).extracting(LedgerEntry::runId).containsExactly("run-b");
    assertThat(ledger.history("p", 10))
        .extracting(LedgerEntry::trigger)
        .as("what started the run is kept")
        .containsExactly("watch pass of 1 file(s)");
  }

  @Test
  void renewingKeepsTheClaimPastItsFirstLease() {
    DynamoDbLedger ledger = ledger();
    ledger.claim("p", version, "", "run-a", "worker-a");
    clock.advance(LEASE.minusSeconds(5));
    assertThat(ledger.renew("p", version, "worker-a")).isTrue();
    clock.advance(Duration.ofSeconds(30));

    assertThatThrownBy(() -> ledger.claim("p", version, "", "run-b", "worker-b"))
        .isInstanceOf(FileClaimedException.class);
  }

  @Test
  void aLoadCanOnlyBeSupersededOnceAndContentThatGoesBackLoadsAgain() {
    DynamoDbLedger ledger = ledger();
    ledger.claim("p", version, "", "run-a", "worker-a");
    ledger.markLoaded(loaded("run-a"), "worker-a");
    FileVersion other = new FileVersion(version.key(), 12, "etag:def");
    ledger.claim("p", other, "run-a", "run-b", "worker-b");
    ledger.markLoaded(loaded("run-b", other), "worker-b");

    assertThat(ledger.lookup("p", version).currentLoad()).isEmpty();
    assertThat(ledger.lookup("p", version).supersedes()).isEqualTo("run-b");
    assertThatThrownBy(() -> ledger.claim("p", version, "run-a", "run-c", "worker-c"))
        .isInstanceOf(FileClaimedException.class)
        .hasMessageContaining("loaded meanwhile by another worker (run run-b)");
    ledger.claim("p", version, "run-b", "run-c", "worker-c");
    ledger.markLoaded(loaded("run-c"), "worker-c");
    assertThat(ledger.lookup("p", version).currentLoad()).map(LedgerEntry::runId).hasValue("run-c");
  }

  @Test
  void aLoadedVersionCannotBeClaimedAgainAndAReleasedOneCanAtOnce() {
    DynamoDbLedger ledger = ledger();
    ledger.claim("p", version, "", "run-a", "worker-a");
    ledger.release("p", version, "worker-a");
    ledger.claim("p", version, "", "run-b", "worker-b");
    ledger.markLoaded(loaded("run-b"), "worker-b");
    clock.advance(Duration.ofDays(1));

    assertThatThrownBy(() -> ledger.claim("p", version, "", "run-c", "worker-c"))
        .isInstanceOf(FileClaimedException.class)
        .hasMessageContaining("loaded meanwhile by another worker (run run-b)");
  }

  @Test
  void theFilesOfASetAreRecordedAllOrNone() {
    DynamoDbLedger ledger = ledger();
    FileVersion orders = new FileVersion("in/orders.csv", 10, "etag:o");
    FileVersion shipments = new FileVersion("in/shipments.csv", 10, "etag:s");
    ledger.claim("p", orders, "", "run-a", "worker-a");
    ledger.claim("p", shipments, "", "run-a", "worker-a");
    clock.advance(LEASE.plusSeconds(1));
    ledger.claim("p", shipments, "", "run-b", "worker-b");

    assertThatThrownBy(
            () ->
                ledger.markLoaded(
                    List.of(loaded("run-a", orders), loaded("run-a", shipments)), "worker-a"))
        .isInstanceOf(TargetException.class)
        .hasMessageContaining("in/shipments.csv: another worker took over");

    assertThat(ledger.lookup("p", orders).currentLoad()).as("not half recorded").isEmpty();
    assertThat(ledger.history("p", 10)).isEmpty();
  }

  @Test
  void inALedgerOfTheEarlierLayoutTheNewestLoadedVersionIsTheLatest() {
    DynamoDbLedger ledger = ledger();
    FileVersion a = new FileVersion("in/day1.csv", 10, "etag:a");
    FileVersion b = new FileVersion("in/day1.csv", 12, "etag:b");
    legacyItem(a, "run-1", "2026-11-01T06:00:00Z");
    legacyItem(b, "run-2", "2026-11-02T06:00:00Z");

    assertThat(ledger.lookup("p", b).currentLoad()).map(LedgerEntry::runId).hasValue("run-2");
    assertThat(ledger.lookup("p", a).currentLoad()).as("A came back: a new load").isEmpty();
    assertThat(ledger.lookup("p", a).supersedes()).isEqualTo("run-2");
  }

  /** An item as the earlier layout wrote it for a loaded version. */
  private void legacyItem(FileVersion version, String runId, String finishedAt) {
    java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item =
        new java.util.HashMap<>();
    java.util.function.BiConsumer<String, String> text =
        (name, value) ->
            item.put(
                name, software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(value));
    java.util.function.BiConsumer<String, Long> number =
        (name, value) ->
            item.put(
                name,
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(
                    Long.toString(value)));
    text.accept("pk", "p");
    text.accept("sk", "file#" + version.key() + "#" + version.checksum());
    text.accept("status", "LOADED");
    text.accept("run_id", runId);
    text.accept("file_key", version.key());
    text.accept("checksum", version.checksum());
    number.accept("size", version.size());
    text.accept("started_at", finishedAt);
    text.accept("finished_at", finishedAt);
    number.accept("rows_read", 1L);
    number.accept("rows_rejected", 0L);
    number.accept("rows_loaded", 1L);
    text.accept("definition", "def1");
    client.putItem(request -> request.tableName(table).item(item));
  }
}
