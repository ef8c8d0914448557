import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * counted and dropped. The keys of the items a BatchWriteItem put are kept in a file per table, and
 * a Scan of such a table answers them, a page at a time, as DynamoDB answers the scan of the table
 * the rows went to: a {@code sync} reads back every key it wrote and compares them with the file's.
 * The client process, whose memory the sweep measures, does all its work as against DynamoDB: it
 * reads the file, builds every item, signs and sends every request, and reads the table's keys.
 *
 * <p>{@code GET /__items} answers the number of items dropped so far and the number of keys scans
 * answered, for the sweep's check that a run wrote every row and a {@code sync} read every key. Usage: DiscardingProxy LISTEN_PORT TARGET_PORT LEDGER_TABLE KEY_ATTRIBUTE
 * (a string key; runs until killed).
 */
public final class DiscardingProxy {
  private static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final Set<String> ROW_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem");
  private static final Pattern TABLE_NAME = Pattern.compile("\"TableName\"\\s*:\\s*\"([^\"]+)\"");
  private static final byte[] PUT_REQUEST = "\"PutRequest\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DELETE_REQUEST =
      "\"DeleteRequest\"".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern BATCH_TABLE =
      Pattern.compile("\"RequestItems\"\\s*:\\s*\\{\\s*\"([^\"]+)\"");
  private static final Pattern START_AT =
      Pattern.compile("\"ExclusiveStartKey\"\\s*:\\s*\\{[^}]*\"S\"\\s*:\\s*\"@(\\d+)\"");
  /** Keys a Scan page answers at most: about DynamoDB's 1 MB page of items this small. */
  private static final int PAGE_KEYS = 20_000;
  private static final List<String> FORWARDED_HEADERS =
      List.of("Content-Type", "X-Amz-Target", "X-Amz-Date", "Authorization", "Accept-Encoding");

  private final HttpClient upstream = HttpClient.newBuilder().build();
  private final URI target;
  private final String ledgerTable;
  private final Pattern keyValue;
  private final String keyAttribute;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong scanned = new AtomicLong();
  private final Map<String, KeyFile> keys = new ConcurrentHashMap<>();

  private DiscardingProxy(URI target, String ledgerTable, String keyAttribute) {
    this.target = target;
    this.ledgerTable = ledgerTable;
    this.keyAttribute = keyAttribute;
    this.keyValue =
        Pattern.compile(
            "\"" + Pattern.quote(keyAttribute) + "\"\\s*:\\s*\\{\\s*\"S\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  }

  /**
   * The keys put into one table, one JSON-escaped key text a line, in a temporary file removed at
   * exit. A Scan's page starts at a line's offset, which its LastEvaluatedKey carries.
   */
  private static final class KeyFile {
    private final Path path;
    private final Writer out;

    private KeyFile(Path path) throws IOException {
      this.path = path;
      path.toFile().deleteOnExit();
      out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    }

    /** A new, empty key file; an I/O failure is unchecked, for {@code computeIfAbsent}. */
    static KeyFile create() {
      try {
        return new KeyFile(Files.createTempFile("discarded-keys", ".txt"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    synchronized void add(List<String> added) throws IOException {
      for (String key : added) {
        out.write(key);
        out.write('\n');
      }
    }

    /** The page of keys from byte offset {@code start}, and the offset after it (-1 at the end). */
    synchronized Page page(long start) throws IOException {
      out.flush();
      List<String> page = new ArrayList<>();
      long next = start;
      try (SeekableByteChannel channel = Files.newByteChannel(path)) {
        channel.position(start);
        BufferedReader in =
            new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8), 1 << 16);
        for (String line = in.readLine(); line != null && page.size() < PAGE_KEYS; line = in.readLine()) {
          page.add(line);
          next += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return new Page(page, next < channel.size() ? next : -1);
      }
    }
  }

  private record Page(List<String> keys, long next) {}

  public static void main(String[] args) throws IOException {
    int listen = Integer.parseInt(args[0]);
    DiscardingProxy proxy =
        new DiscardingProxy(URI.create("http://127.0.0.1:" + args[1] + "/"), args[2], args[3]);
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
        answer(exchange, 200, "text/plain", dropped.get() + " " + scanned.get());
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      operation = operation == null ? "" : operation.substring(operation.indexOf('.') + 1);
      KeyFile scannedTable = operation.equals("Scan") ? keys.get(tableOf(body)) : null;
      if (operation.equals("BatchWriteItem")) {
        long deletes = count(body, DELETE_REQUEST);
        dropped.addAndGet(count(body, PUT_REQUEST) + deletes);
        if (deletes == 0) {
          keep(body);
        }
        answer(exchange, 200, "application/x-amz-json-1.0", "{\"UnprocessedItems\":{}}");
      } else if (scannedTable != null) {
        answer(exchange, 200, "application/x-amz-json-1.0", scan(scannedTable, body));
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

  /** Keeps the keys of the items a BatchWriteItem of puts only puts. */
  private void keep(byte[] body) throws IOException {
    String text = new String(body, StandardCharsets.UTF_8);
    Matcher table = BATCH_TABLE.matcher(text);
    if (!table.find()) {
      return;
    }
    List<String> added = new ArrayList<>();
    for (Matcher key = keyValue.matcher(text); key.find(); ) {
      added.add(key.group(1));
    }
    try {
      keys.computeIfAbsent(table.group(1), name -> KeyFile.create()).add(added);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** A Scan's page of the kept keys, from the offset its ExclusiveStartKey carries. */
  private String scan(KeyFile file, byte[] body) throws IOException {
    Matcher start = START_AT.matcher(new String(body, StandardCharsets.UTF_8));
    Page page = file.page(start.find() ? Long.parseLong(start.group(1)) : 0);
    scanned.addAndGet(page.keys().size());
    StringBuilder out = new StringBuilder(page.keys().size() * 32 + 100).append("{\"Items\":[");
    for (int i = 0; i < page.keys().size(); i++) {
      out.append(i == 0 ? "{" : ",{").append(attribute(page.keys().get(i))).append('}');
    }
    out.append("],\"Count\":").append(page.keys().size());
    out.append(",\"ScannedCount\":").append(page.keys().size());
    if (page.next() >= 0) {
      out.append(",\"LastEvaluatedKey\":{").append(attribute("@" + page.next())).append('}');
    }
    return out.append('}').toString();
  }

  private String attribute(String escapedText) {
    return "\"" + keyAttribute + "\":{\"S\":\"" + escapedText + "\"}";
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
