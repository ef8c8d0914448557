package io.bucketload.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.target.FileStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many write requests a load keeps in flight to a table 100 ms away: by default 16 batches of
 * 25 items, or 64 requests of one item each ({@code merge}, {@code insert_new}), which keep about
 * as many items moving; {@code max_concurrency} sets both. (Held 20 ms, the 64 requests of one item
 * were seen at most 47 at once on a busy 2-core machine: the time a request is held must exceed the
 * time the load takes to send the others.)
 */
class RequestsInFlightIT {
  @TempDir Path folder;

  @Test
  void batchesKeepSixteenRequestsInFlightByDefault() throws Exception {
    assertThat(mostInFlight("upsert", "", 2000)).isEqualTo(16);
  }

  @Test
  void oneItemPerRequestKeepsSixtyFourInFlightByDefault() throws Exception {
    assertThat(mostInFlight("merge", "", 700)).isBetween(48, 64);
    assertThat(mostInFlight("insert_new", "", 700)).isBetween(48, 64);
  }

  @Test
  void maxConcurrencyBoundsOneItemPerRequestToo() throws Exception {
    assertThat(mostInFlight("merge", ", max_concurrency: 8", 120)).isEqualTo(8);
  }

  /**
   * Loads {@code rows} distinct keys in {@code mode} through a proxy that holds each request naming
   * the table 100 ms, and returns the most such requests it held at once.
   */
  private int mostInFlight(String mode, String settings, int rows) throws Exception {
    String table = AwsPipeline.table("in_flight_" + mode);
    try (HoldingProxy proxy = new HoldingProxy(LocalAws.dynamoDbEndpoint(), table)) {
      AwsPipeline aws =
          new AwsPipeline(folder)
              .idPayloadPipeline(
                  "in_flight_" + mode + rows + settings.length(),
                  "endpoint: %s, table: %s, mode: %s%s"
                      .formatted(proxy.endpoint(), table, mode, settings));
      StringBuilder csv = new StringBuilder("id,payload\n");
      for (int i = 0; i < rows; i++) {
        csv.append(i).append(",row ").append(i).append('\n');
      }
      aws.put("rows.csv", csv.toString());

      FileReport file = aws.run().files().get(0);

      assertThat(file.status()).as(file.error().orElse("")).isEqualTo(FileStatus.LOADED);
      assertThat(file.rowsLoaded()).isEqualTo(rows);
      return proxy.mostHeld();
    }
  }

  /** Forwards requests to DynamoDB Local, each that names the table 100 ms late, counting them. */
  private static final class HoldingProxy implements AutoCloseable {
    private static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpRelay relay;
    private final String tableName;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger mostHeld = new AtomicInteger();

    HoldingProxy(URI upstream, String table) throws IOException {
      this.relay = new HttpRelay(upstream);
      this.tableName = '"' + table + '"';
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
      server.setExecutor(threads);
      server.createContext("/", this::handle);
      server.start();
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int mostHeld() {
      return mostHeld.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        boolean write =
            target != null
                && !target.endsWith(".DescribeTable")
                && new String(body, StandardCharsets.UTF_8).contains(tableName);
        if (write) {
          mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
          LockSupport.parkNanos(HOLD_NANOS);
        }
        HttpResponse<byte[]> response;
        try {
          response = relay.forward(exchange, body);
        } finally {
          // Before the answer: once the client has it, its next request may arrive at once.
          if (write) {
            held.decrementAndGet();
          }
        }
        HttpRelay.respond(exchange, response);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
