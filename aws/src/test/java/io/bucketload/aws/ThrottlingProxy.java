package io.bucketload.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A proxy in front of DynamoDB Local that behaves like a table at its capacity limit: of every five
 * {@code BatchWriteItem} requests it refuses one with {@code
 * ProvisionedThroughputExceededException} and writes only half of another, returning the rest as
 * {@code UnprocessedItems}; of every five {@code UpdateItem} requests it refuses one the same way.
 * Everything else is forwarded as is.
 */
public final class ThrottlingProxy implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final HttpRelay relay;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong partial = new AtomicLong();
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong refusedUpdates = new AtomicLong();

  /** Starts the proxy on a free loopback port. */
  public ThrottlingProxy(URI upstream) throws IOException {
    this.relay = new HttpRelay(upstream);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The proxy's endpoint. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Batch requests refused whole. */
  public long refused() {
    return refused.get();
  }

  /** {@code UpdateItem} requests refused. */
  public long refusedUpdates() {
    return refusedUpdates.get();
  }

  /** Batch requests only half written. */
  public long partial() {
    return partial.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (target != null && target.endsWith(".UpdateItem") && updates.incrementAndGet() % 5 == 0) {
        refusedUpdates.incrementAndGet();
        throttle(exchange);
        return;
      }
      if (target != null && target.endsWith(".BatchWriteItem")) {
        long n = batches.incrementAndGet();
        if (n % 5 == 0) {
          refused.incrementAndGet();
          throttle(exchange);
          return;
        }
        if (n % 5 == 1) {
          halve(exchange, body);
          return;
        }
      }
      HttpResponse<byte[]> response = relay.forward(exchange, body);
      HttpRelay.respond(exchange, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void throttle(HttpExchange exchange) throws IOException {
    HttpRelay.respond(
        exchange,
        400,
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
            + "\"message\":\"The level of configured provisioned throughput for the table was"
            + " exceeded (injected)\"}");
  }

  /** Forwards the first half of each table's items and returns the rest as unprocessed. */
  private void halve(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
    ObjectNode request = (ObjectNode) JSON.readTree(body);
    ObjectNode items = (ObjectNode) request.get("RequestItems");
    ObjectNode unprocessed = JSON.createObjectNode();
    boolean split = false;
    for (Map.Entry<String, JsonNode> table : List.copyOf(items.properties())) {
      ArrayNode all = (ArrayNode) table.getValue();
      if (all.size() < 2) {
        continue;
      }
      ArrayNode kept = JSON.createArrayNode();
      ArrayNode left = JSON.createArrayNode();
      for (int i = 0; i < all.size(); i++) {
        (i < all.size() / 2 ? kept : left).add(all.get(i));
      }
      items.set(table.getKey(), kept);
      unprocessed.set(table.getKey(), left);
      split = true;
    }
    HttpResponse<byte[]> response = relay.forward(exchange, JSON.writeValueAsBytes(request));
    if (!split || response.statusCode() != 200) {
      HttpRelay.respond(exchange, response);
      return;
    }
    partial.incrementAndGet();
    ObjectNode answer = (ObjectNode) JSON.readTree(response.body());
    answer.set("UnprocessedItems", unprocessed);
    HttpRelay.respond(exchange, 200, JSON.writeValueAsString(answer));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
