package io.bucketload.aws;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Passes requests a test proxy received on to DynamoDB Local, and answers them: with what the
 * server answered, or with an answer of the proxy's own.
 */
final class HttpRelay {
  private static final Set<String> SKIPPED_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "transfer-encoding");

  private final URI upstream;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpRelay(URI upstream) {
    this.upstream = upstream;
  }

  /** Sends the request with {@code body} (read from it already, or changed) to the server. */
  HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!SKIPPED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
              }
            });
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Answers with a JSON body of the proxy's own. */
  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Answers with {@code body} and the server's status, content type and checksum header. */
  static void respond(HttpExchange exchange, int status, byte[] body, HttpResponse<byte[]> response)
      throws IOException {
    response
        .headers()
        .firstValue("Content-Type")
        .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
    response
        .headers()
        .firstValue("x-amz-crc32")
        .ifPresent(crc -> exchange.getResponseHeaders().set("x-amz-crc32", crc));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Answers with what the server answered. */
  static void respond(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
    respond(exchange, response.statusCode(), response.body(), response);
  }
}
