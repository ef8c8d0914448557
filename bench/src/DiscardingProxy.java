import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy on loopback in front of DynamoDB Local for the memory sweep's largest files, which
 * DynamoDB Local can neither hold (71 M items in memory) nor take in a day on this machine. Every
 * request that creates, describes or scans a table, and every request to the ledger table, goes to
 * DynamoDB Local; the writes of rows into any other table (BatchWriteItem, and PutItem, UpdateItem
 * and DeleteItem naming another table) are answered as DynamoDB answers a write that succeeded,
 * counted and dropped. The client process, whose memory the sweep measures, does all its work as
 * against DynamoDB: it reads the file, builds every item, signs and sends every request.
 *
 * <p>{@code GET /__items} answers the number of items dropped so far, for the sweep's check that a
 * run wrote every row. Usage: DiscardingProxy LISTEN_PORT TARGET_PORT LEDGER_TABLE (runs until
 * killed).
 */
public final class DiscardingProxy {
  private static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final Set<String> ROW_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem");
  private static final Pattern TABLE_NAME = Pattern.compile("\"TableName\"\\s*:\\s*\"([^\"]+)\"");
  private static final byte[] PUT_REQUEST = "\"PutRequest\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DELETE_REQUEST =
      "\"DeleteRequest\"".getBytes(StandardCharsets.US_ASCII);
  private static final List<String> FORWARDED_HEADERS =
      List.of("Content-Type", "X-Amz-Target", "X-Amz-Date", "Authorization", "Accept-Encoding");

  private final HttpClient upstream = HttpClient.newBuilder().build();
  private final URI target;
  private final String ledgerTable;
  private final AtomicLong dropped = new AtomicLong();

  private DiscardingProxy(URI target, String ledgerTable) {
    this.target = target;
    this.ledgerTable = ledgerTable;
  }

  public static void main(String[] args) throws IOException {
    int listen = Integer.parseInt(args[0]);
    DiscardingProxy proxy =
        new DiscardingProxy(URI.create("http://127.0.0.1:" + args[1] + "/"), args[2]);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), listen), 256);
    server.createContext("/", proxy::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (exchange.getRequestMethod().equals("GET")
          && exchange.getRequestURI().getPath().equals("/__items")) {
        answer(exchange, 200, "text/plain", Long.toString(dropped.get()));
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      operation = operation == null ? "" : operation.substring(operation.indexOf('.') + 1);
      if (operation.equals("BatchWriteItem")) {
        dropped.addAndGet(count(body, PUT_REQUEST) + count(body, DELETE_REQUEST));
        answer(exchange, 200, "application/x-amz-json-1.0", "{\"UnprocessedItems\":{}}");
      } else if (ROW_WRITES.contains(operation) && !ledgerTable.equals(tableOf(body))) {
        dropped.incrementAndGet();
        answer(exchange, 200, "application/x-amz-json-1.0", "{}");
      } else {
        forward(exchange, body);
      }
    } catch (RuntimeException | IOException e) {
      e.printStackTrace();
      throw e;
    }
  }

  private void forward(HttpExchange exchange, byte[] body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (String header : FORWARDED_HEADERS) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        request.header(header, value);
      }
    }
    HttpResponse<byte[]> response;
    try {
      response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
      String name = header.getKey();
      if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")
          && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, header.getValue());
      }
    }
    byte[] answer = response.body();
    exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
    if (answer.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  private static void answer(HttpExchange exchange, int status, String type, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The table a single-item request names, or "" when it names none. */
  private static String tableOf(byte[] body) {
    Matcher matcher = TABLE_NAME.matcher(new String(body, StandardCharsets.UTF_8));
    return matcher.find() ? matcher.group(1) : "";
  }

  /** How many times {@code word} occurs in {@code body}. */
  private static long count(byte[] body, byte[] word) {
    long found = 0;
    outer:
    for (int i = 0; i + word.length <= body.length; i++) {
      for (int j = 0; j < word.length; j++) {
        if (body[i + j] != word[j]) {
          continue outer;
        }
      }
      found++;
      i += word.length - 1;
    }
    return found;
  }
}
