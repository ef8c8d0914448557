package io.bucketload.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.source.LocalFolderSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder watched by listing, with time moved by hand. */
class WatchTriggerTest {

  @TempDir Path dir;
  private final HandClock clock = new HandClock();

  @Test
  void aPassIsHandedOutWhenTheListingChangedAndNotWhenItDidNot() throws IOException {
    Files.writeString(dir.resolve("a.csv"), "id\n1\n");
    WatchTrigger watch =
        new WatchTrigger(
            new LocalFolderSource(dir, "*.csv"), Duration.ofSeconds(30), clock, Duration.ZERO);

    List<Delivery> first = watch.poll();
    assertThat(first).hasSize(1);
    assertThat(first.get(0).allFiles()).isTrue();
    first.get(0).acknowledge();

    assertThat(watch.poll()).as("before the next pass").isEmpty();
    clock.advance(Duration.ofSeconds(30));
    assertThat(watch.poll()).as("nothing changed").isEmpty();
    Files.writeString(dir.resolve("b.csv"), "id\n2\n");
    assertThat(watch.poll()).as("before the next pass").isEmpty();
    clock.advance(Duration.ofSeconds(30));
    List<Delivery> changed = watch.poll();
    assertThat(changed).hasSize(1);

    assertThat(changed.get(0).release(Duration.ofMinutes(5)))
        .as("the wait it says is the one it keeps")
        .contains(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(29));
    assertThat(watch.poll()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    List<Delivery> again = watch.poll();
    assertThat(again).as("back at the next pass at the latest").hasSize(1);
    assertThat(again.get(0).attempt()).isEqualTo(2);
  }

  @Test
  void aPassThatFailedOnTheSystemBacksOffUpToAMinuteInsteadOfEveryPass() throws IOException {
    Files.writeString(dir.resolve("a.csv"), "id\n1\n");
    WatchTrigger watch =
        new WatchTrigger(
            new LocalFolderSource(dir, "*.csv"), Duration.ofSeconds(1), clock, Duration.ZERO);

    List<Delivery> first = watch.poll();
    assertThat(first.get(0).releaseAfterFailure(Duration.ofSeconds(20)))
        .contains(Duration.ofSeconds(20));
    clock.advance(Duration.ofSeconds(19));
    assertThat(watch.poll()).as("not at the next pass").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    List<Delivery> second = watch.poll();
    assertThat(second).hasSize(1);
    assertThat(second.get(0).releaseAfterFailure(Duration.ofMinutes(15)))
        .as("at most a minute: the file loads soon after the outage")
        .contains(Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(59));
    assertThat(watch.poll()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(watch.poll()).singleElement().extracting(Delivery::attempt).isEqualTo(3);
  }

  @Test
  void aUrlIsHandedOutWhenItsServerTellsAnotherVersionOrTellsNone() throws IOException {
    // Listing a URL does not ask its server: the watch asks for its version with a HEAD.
    java.util.concurrent.atomic.AtomicReference<String> etag =
        new java.util.concurrent.atomic.AtomicReference<>("\"v1\"");
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            if (etag.get() != null) {
              exchange.getResponseHeaders().set("ETag", etag.get());
            }
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
    try {
      WatchTrigger watch =
          new WatchTrigger(
              new io.bucketload.core.source.HttpSource(
                  java.net.URI.create(
                      "http://127.0.0.1:" + server.getAddress().getPort() + "/export.csv"),
                  java.net.http.HttpClient.newHttpClient(),
                  java.util.Map.of(),
                  Duration.ofSeconds(5),
                  0,
                  Duration.ofSeconds(1)),
              Duration.ofSeconds(30),
              clock,
              Duration.ZERO);
      watch.poll().get(0).acknowledge();

      clock.advance(Duration.ofSeconds(30));
      assertThat(watch.poll()).as("the same tag").isEmpty();
      etag.set("\"v2\"");
      clock.advance(Duration.ofSeconds(30));
      List<Delivery> changed = watch.poll();
      assertThat(changed).as("another tag").hasSize(1);
      changed.get(0).acknowledge();
      etag.set(null);
      clock.advance(Duration.ofSeconds(30));
      watch.poll().get(0).acknowledge();
      clock.advance(Duration.ofSeconds(30));
      assertThat(watch.poll()).as("no tag: only the run can tell, every pass").hasSize(1);
    } finally {
      server.stop(0);
    }
  }
}
