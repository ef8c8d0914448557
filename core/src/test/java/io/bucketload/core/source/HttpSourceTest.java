package io.bucketload.core.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.MemoryTarget;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.FileStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file at an HTTP(S) URL, served by a real server on loopback. */
class HttpSourceTest {
  private static final String CSV = "id,name\n1,Ada\n2,Grace\n3,Linus\n";

  @TempDir Path dir;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final MemoryTarget target = new MemoryTarget();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** What the server does with a request for {@code /data/people.csv}. */
  private interface Handler {
    void handle(HttpExchange exchange, int attempt) throws IOException;
  }

  private String serve(HttpServer created, Handler handler) {
    server = created;
    AtomicInteger attempts = new AtomicInteger();
    server.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          try (exchange) {
            handler.handle(exchange, attempts.incrementAndGet());
          }
        });
    server.start();
    String scheme = created instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  private String serve(Handler handler) throws IOException {
    return serve(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), handler);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private RunReport run(String url, String extra) throws IOException {
    return runAt(url + "/data/people.csv", extra);
  }

  /** Runs a pipeline whose source is the file at {@code address}. */
  private RunReport runAt(String address, String extra) throws IOException {
    PipelineSpec spec =
        new PipelineSpecReader(Map.of("TOKEN", "t0ken")::get)
            .read(
                new StringReader(
                    """
                    name: people
                    source:
                      path: "%s"
                      retries: 2
                    %s
                    schema: {key: [id], columns: [{name: id, type: long}, {name: name, type: string}]}
                    target: {table: people, mode: upsert}
                    """
                        .formatted(address, extra.indent(2).stripTrailing())),
                dir.resolve("pipeline.yaml"),
                dir);
    try (Pipeline pipeline =
        Pipeline.withTarget(spec, target, LoadListener.NONE, Clock.systemUTC())) {
      return pipeline.run(List.of(), RunOptions.LOAD);
    }
  }

  private static FileReport only(RunReport report) {
    assertThat(report.files()).hasSize(1);
    return report.files().get(0);
  }

  @Test
  void anUnchangedFileWithAnEtagCostsOneHeadAndIsSkipped() throws Exception {
    String url =
        serve(
            (exchange, attempt) -> {
              exchange.getResponseHeaders().set("ETag", "\"v1\"");
              String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
              authorizations.add(
                  String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
              send(exchange, ifMatch == null || ifMatch.equals("\"v1\"") ? 200 : 412, CSV);
            });

    RunReport first = run(url, "headers: {Authorization: \"Bearer ${TOKEN}\"}");
    int afterFirst = requests.size();
    RunReport second = run(url, "headers: {Authorization: \"Bearer ${TOKEN}\"}");

    assertThat(only(first).status()).isEqualTo(FileStatus.LOADED);
    assertThat(only(first).version()).hasValue("etag:\"v1\"");
    assertThat(target.rows("people")).hasSize(3);
    assertThat(only(second).status()).isEqualTo(FileStatus.SKIPPED);
    assertThat(requests.subList(afterFirst, requests.size()))
        .containsExactly("HEAD /data/people.csv");
    assertThat(authorizations).hasSize(requests.size()).containsOnly("Bearer t0ken");
  }

  @Test
  void withoutValidatorsTheContentIsHashedAndAnUnchangedFileIsSkipped() throws Exception {
    String url = serve((exchange, attempt) -> send(exchange, 200, CSV));

    RunReport first = run(url, "");
    RunReport second = run(url, "");

    assertThat(only(first).version().orElseThrow()).startsWith("sha256:");
    assertThat(only(second).status()).isEqualTo(FileStatus.SKIPPED);
  }

  @Test
  void lastModifiedAndLengthMakeTheVersionAndAChangeLoadsAgain() throws Exception {
    AtomicInteger day = new AtomicInteger(1);
    String url =
        serve(
            (exchange, attempt) -> {
              exchange
                  .getResponseHeaders()
                  .set("Last-Modified", "Tue, 0" + day.get() + " Dec 2026 06:00:00 GMT");
              send(exchange, 200, day.get() == 1 ? CSV : CSV + "4,Barbara\n");
            });

    RunReport first = run(url, "");
    day.set(2);
    RunReport second = run(url, "");

    assertThat(only(first).version().orElseThrow())
        .isEqualTo("modified:Tue, 01 Dec 2026 06:00:00 GMT+" + CSV.length());
    assertThat(only(second).status()).isEqualTo(FileStatus.LOADED);
    assertThat(target.rows("people")).hasSize(4);
  }

  @Test
  void aServerErrorIsRetried() throws Exception {
    String url =
        serve(
            (exchange, attempt) -> {
              if (attempt == 1) {
                send(exchange, 503, "busy");
              } else {
                send(exchange, 200, CSV);
              }
            });

    assertThat(only(run(url, "")).status()).isEqualTo(FileStatus.LOADED);
    assertThat(requests.get(0)).isEqualTo("HEAD /data/people.csv");
    assertThat(requests).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void aConnectionCutMidBodyIsResumedWithRange() throws Exception {
    byte[] bytes = CSV.getBytes(StandardCharsets.UTF_8);
    List<String> ranges = new CopyOnWriteArrayList<>();
    String url =
        serve(
            (exchange, attempt) -> {
              exchange.getResponseHeaders().set("ETag", "\"v1\"");
              exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
              if (exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 200, CSV);
                return;
              }
              String range = exchange.getRequestHeaders().getFirst("Range");
              if (range == null) {
                // Promise the whole file, send half of it, and drop the connection.
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes, 0, bytes.length / 2);
                exchange.getResponseBody().flush();
                throw new IOException("connection cut by the test");
              }
              ranges.add(range);
              int from = Integer.parseInt(range.replaceAll("\\D", ""));
              exchange
                  .getResponseHeaders()
                  .set(
                      "Content-Range",
                      "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
              exchange.sendResponseHeaders(206, bytes.length - from);
              exchange.getResponseBody().write(bytes, from, bytes.length - from);
            });

    RunReport report = run(url, "");

    assertThat(only(report).status()).as("%s", only(report).error()).isEqualTo(FileStatus.LOADED);
    assertThat(ranges).hasSize(1);
    assertThat(target.rows("people")).hasSize(3);
  }

  @Test
  void aConnectionCutWhereRangesAreNotOfferedFailsNamingTheUrlOnce() throws Exception {
    byte[] bytes = CSV.getBytes(StandardCharsets.UTF_8);
    String url =
        serve(
            (exchange, attempt) -> {
              exchange.getResponseHeaders().set("ETag", "\"v1\"");
              if (exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 200, CSV);
                return;
              }
              exchange.sendResponseHeaders(200, bytes.length);
              exchange.getResponseBody().write(bytes, 0, bytes.length / 2);
              exchange.getResponseBody().flush();
              throw new IOException("connection cut by the test");
            });

    FileReport file = only(run(url, ""));

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    String address = url + "/data/people.csv";
    assertThat(file.error().orElseThrow())
        .contains(address + ": cannot read: the connection broke after ")
        .satisfies(
            error ->
                assertThat(error.split(java.util.regex.Pattern.quote(address), -1))
                    .as("the URL is named once")
                    .hasSize(2));
  }

  @Test
  void aServerThatIgnoresIfMatchAndSendsAnotherVersionFailsThisRun() throws Exception {
    String url =
        serve(
            (exchange, attempt) -> {
              // The HEAD sees v1; the GET, which asks If-Match v1, gets v2 all the same.
              boolean head = exchange.getRequestMethod().equals("HEAD");
              exchange.getResponseHeaders().set("ETag", head ? "\"v1\"" : "\"v2\"");
              send(exchange, 200, CSV);
            });

    FileReport file = only(run(url, ""));

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.fault()).contains(io.bucketload.core.error.Fault.SYSTEM);
    assertThat(file.error().orElseThrow())
        .contains(
            "the file changed on the server since it was identified (ETag \"v1\", now \"v2\")");
    assertThat(target.rows("people")).isEmpty();
  }

  @Test
  void aServerThatIgnoresIfUnmodifiedSinceAndSendsAnotherVersionFailsThisRunAndLoadsItOnce()
      throws Exception {
    String longer = CSV + "4,Barbara\n";
    AtomicInteger gets = new AtomicInteger();
    String url =
        serve(
            (exchange, attempt) -> {
              // Versions by date and length; the first HEAD sees the old one, every GET the new.
              boolean head = exchange.getRequestMethod().equals("HEAD");
              boolean old = head && gets.get() == 0;
              if (!head) {
                gets.incrementAndGet();
              }
              exchange
                  .getResponseHeaders()
                  .set(
                      "Last-Modified",
                      old ? "Wed, 02 Dec 2026 10:00:00 GMT" : "Thu, 03 Dec 2026 10:00:00 GMT");
              send(exchange, 200, old ? CSV : longer);
            });

    FileReport during = only(run(url, ""));

    assertThat(during.status()).isEqualTo(FileStatus.FAILED);
    assertThat(during.fault()).contains(io.bucketload.core.error.Fault.SYSTEM);
    assertThat(during.error().orElseThrow())
        .contains(
            "the file changed on the server since it was identified (Last-Modified Wed, 02 Dec"
                + " 2026 10:00:00 GMT, now Thu, 03 Dec 2026 10:00:00 GMT)");
    assertThat(target.rows("people")).isEmpty();
    FileReport after = only(run(url, ""));
    assertThat(after.status()).isEqualTo(FileStatus.LOADED);
    assertThat(after.rowsLoaded()).isEqualTo(4);
    assertThat(only(run(url, "")).status()).isEqualTo(FileStatus.SKIPPED);
  }

  @Test
  void aTagTheAnswerLeavesOutIsCheckedByTheLength() throws Exception {
    String url =
        serve(
            (exchange, attempt) -> {
              // The HEAD tags the old version; the GET sends a longer one, without a tag.
              boolean head = exchange.getRequestMethod().equals("HEAD");
              if (head) {
                exchange.getResponseHeaders().set("ETag", "\"v1\"");
              }
              send(exchange, 200, head ? CSV : CSV + "4,Barbara\n");
            });

    FileReport file = only(run(url, ""));

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error().orElseThrow())
        .contains(
            "the file changed on the server since it was identified ("
                + CSV.length()
                + " bytes, now "
                + (CSV.length() + 10)
                + " bytes)");
    assertThat(target.rows("people")).isEmpty();
  }

  @Test
  void twoPipelinesOfOneFolderKeepTheirRejectsApart() throws Exception {
    String url = serve((exchange, attempt) -> send(exchange, 200, CSV + "x,Bad\n"));
    String address = url + "/data/people.csv";

    FileReport strict = only(runNamed("strict.yaml", address, "rejects: {max: 1}", "long"));
    FileReport lenient = only(runNamed("lenient.yaml", address, "", "string"));

    assertThat(strict.rejectsPath())
        .hasValue(dir.resolve("bucketload-out/strict/rejected/people.rejects.csv").toString());
    assertThat(lenient.rejectsPath()).isEmpty();
    assertThat(lenient.warnings()).isEmpty();
    assertThat(dir.resolve("bucketload-out/strict/rejected/people.rejects.csv")).exists();
  }

  /** Runs the pipeline file {@code file} of {@code dir}, its id column of type {@code idType}. */
  private RunReport runNamed(String file, String address, String extra, String idType)
      throws IOException {
    PipelineSpec spec =
        new PipelineSpecReader(Map.<String, String>of()::get)
            .read(
                new StringReader(
                    """
                    name: %s
                    source: {path: "%s"}
                    %s
                    schema: {columns: [{name: id, type: %s}, {name: name, type: string}]}
                    target: {table: %s}
                    """
                        .formatted(
                            file.replace(".yaml", ""),
                            address,
                            extra,
                            idType,
                            file.replace(".yaml", ""))),
                dir.resolve(file),
                dir);
    try (Pipeline pipeline =
        Pipeline.withTarget(spec, target, LoadListener.NONE, Clock.systemUTC())) {
      return pipeline.run(List.of(), RunOptions.LOAD);
    }
  }

  @Test
  void aBodyThatStopsSendingFailsAfterTheTimeoutInsteadOfWaitingForever() throws Exception {
    java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    String url =
        serve(
            (exchange, attempt) -> {
              if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("ETag", "\"v1\"");
                send(exchange, 200, CSV);
                return;
              }
              // Half the file, then nothing, the connection kept open.
              byte[] bytes = CSV.getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, bytes.length);
              exchange.getResponseBody().write(bytes, 0, bytes.length / 2);
              exchange.getResponseBody().flush();
              try {
                released.await(60, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    try {
      FileReport file = only(run(url, "timeout: 1s"));

      assertThat(file.status()).isEqualTo(FileStatus.FAILED);
      assertThat(file.fault()).contains(io.bucketload.core.error.Fault.SYSTEM);
      assertThat(file.error().orElseThrow())
          .endsWith(
              "/data/people.csv: cannot read: no data came for 1 s (source.timeout) after 15 bytes");
    } finally {
      released.countDown();
    }
  }

  @Test
  void aRedirectToAnotherOriginGoesWithoutThePipelinesHeaders() throws Exception {
    List<String> elsewhere = new CopyOnWriteArrayList<>();
    HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    other.createContext(
        "/",
        exchange -> {
          try (exchange) {
            elsewhere.add(
                exchange.getRequestMethod()
                    + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getResponseHeaders().set("ETag", "\"v1\"");
            send(exchange, 200, CSV);
          }
        });
    other.start();
    try {
      String moved = "http://127.0.0.1:" + other.getAddress().getPort() + "/bucket/people.csv";
      String url =
          serve(
              (exchange, attempt) -> {
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                if (exchange.getRequestURI().getPath().equals("/data/people.csv")) {
                  // Same origin first, then another port: another origin.
                  exchange.getResponseHeaders().set("Location", "/data/moved.csv");
                } else {
                  exchange.getResponseHeaders().set("Location", moved);
                }
                exchange.sendResponseHeaders(302, -1);
              });

      FileReport file = only(run(url, "headers: {Authorization: \"Bearer ${TOKEN}\"}"));

      assertThat(file.status()).as("%s", file.error()).isEqualTo(FileStatus.LOADED);
      assertThat(target.rows("people")).hasSize(3);
      assertThat(authorizations).isNotEmpty().containsOnly("Bearer t0ken");
      assertThat(elsewhere).isNotEmpty().allMatch(request -> request.endsWith(" null"));
    } finally {
      other.stop(0);
    }
  }

  @Test
  void aRedirectFromHttpsToHttpIsRefusedSayingSo() throws Exception {
    SelfSignedTls tls = SelfSignedTls.create(dir);
    String url =
        serve(
            tls.server(),
            (exchange, attempt) -> {
              exchange.getResponseHeaders().set("Location", "http://127.0.0.1:1/people.csv");
              exchange.sendResponseHeaders(302, -1);
            });

    FileReport file = only(run(url, "ca_file: ca.pem"));

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error().orElseThrow())
        .endsWith("/data/people.csv: HTTP 302 redirects from https to http, which is not followed");
  }

  /** The report of a run whose server answers every request with a 302 to {@code location}. */
  private FileReport redirectedTo(String location) throws IOException {
    String url =
        serve(
            (exchange, attempt) -> {
              exchange.getResponseHeaders().set("Location", location);
              exchange.sendResponseHeaders(302, -1);
            });
    return only(run(url, ""));
  }

  @Test
  void aRedirectToAnotherSchemeIsRefusedSayingSo() throws Exception {
    FileReport file = redirectedTo("ftp://127.0.0.1/people.csv");

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error().orElseThrow())
        .endsWith("/data/people.csv: HTTP 302 redirects to a ftp URL, which is not followed");
  }

  @Test
  void aUrlThatAnswers404IsAFailureNotAFileRemovedMeanwhile() throws Exception {
    String url = serve((exchange, attempt) -> send(exchange, 404, "no"));

    FileReport file = only(run(url, ""));

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error().orElseThrow()).contains("/data/people.csv").contains("HTTP 404");
  }

  @Test
  void aServerDownBeforeTheFileIsIdentifiedIsInTheHistory() throws Exception {
    String url = serve((exchange, attempt) -> send(exchange, 500, "down"));

    FileReport file = only(run(url, ""));

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(target.ledger().history("people", 10))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.status()).isEqualTo(FileStatus.FAILED);
              assertThat(entry.file().checksum()).isEqualTo("unidentified");
              assertThat(entry.error().orElseThrow()).contains("HTTP 500 (after 3 attempts)");
              assertThat(entry.fault()).contains(io.bucketload.core.error.Fault.SYSTEM);
            });
  }

  @Test
  void aHeaderTheClientSetsItselfIsAConfigurationError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> run("http://127.0.0.1:1", "headers: {Host: example.com}"))
        .isInstanceOf(io.bucketload.core.error.ConfigException.class)
        .hasMessage(
            "pipeline.yaml line 5: source.headers.Host: cannot be sent: restricted header name:"
                + " \"Host\"");
  }

  @Test
  void aHeadRefusedWith403IsAskedAgainAsAGet() throws Exception {
    // A pre-signed URL signs its method: HEAD is refused where GET is allowed.
    String url =
        serve(
            (exchange, attempt) -> {
              if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(403, -1);
              } else {
                send(exchange, 200, CSV);
              }
            });

    FileReport file = only(run(url, ""));

    assertThat(file.status()).as("%s", file.error()).isEqualTo(FileStatus.LOADED);
    assertThat(requests).containsExactly("HEAD /data/people.csv", "GET /data/people.csv");
  }

  @Test
  void aRedirectLoopIsAFailureNamingIt() throws Exception {
    FileReport file = redirectedTo("/data/people.csv");

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error().orElseThrow()).contains("redirect loop");
  }

  @Test
  void aUrlWhoseNameDoesNotEndInCsvLoadsAllTheSame() throws Exception {
    String url =
        serve(
            (exchange, attempt) -> {
              exchange.getResponseHeaders().set("ETag", "\"v1\"");
              send(exchange, 200, CSV);
            });

    FileReport file = only(runAt(url + "/reports/export?format=csv", ""));

    assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    assertThat(file.file()).isEqualTo("export");
    assertThat(target.rows("people")).hasSize(3);
  }

  @Test
  void aServerThatRefusesConnectionsIsSaidToDoSo() throws Exception {
    int port;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, loopback())) {
      port = closed.getLocalPort();
    }

    FileReport file = only(run("http://127.0.0.1:" + port, ""));

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error().orElseThrow())
        .contains("cannot reach it: connection refused")
        .doesNotContain("null");
  }

  private static java.net.InetAddress loopback() throws IOException {
    return java.net.InetAddress.getByName("127.0.0.1");
  }

  @Test
  void httpsChecksTheCertificateAndAPrivateCaComesFromCaFile() throws Exception {
    SelfSignedTls tls = SelfSignedTls.create(dir);
    HttpsServer https = tls.server();
    String url =
        serve(
            https,
            (exchange, attempt) -> {
              exchange.getResponseHeaders().set("ETag", "\"v1\"");
              send(exchange, 200, CSV);
            });

    FileReport refused = only(run(url, ""));
    FileReport trusted = only(run(url, "ca_file: ca.pem"));

    assertThat(refused.status()).isEqualTo(FileStatus.FAILED);
    assertThat(refused.error().orElseThrow()).contains("TLS failed").contains("source.ca_file");
    assertThat(trusted.status()).isEqualTo(FileStatus.LOADED);
  }

  @Test
  void aCertificateForAnotherNameSaysSoInsteadOfAskingForACaFile() throws Exception {
    SelfSignedTls tls = SelfSignedTls.create(dir);
    String url = serve(tls.server(), (exchange, attempt) -> send(exchange, 200, CSV));

    // The certificate names 127.0.0.1, not localhost; its CA is trusted.
    FileReport file = only(run(url.replace("127.0.0.1", "localhost"), "ca_file: ca.pem"));

    assertThat(file.status()).isEqualTo(FileStatus.FAILED);
    assertThat(file.error().orElseThrow())
        .contains("TLS failed")
        .endsWith(
            "(the server's certificate is not for localhost: use the host name it was issued"
                + " for)")
        .doesNotContain("ca_file");
  }

  @Test
  void aWebPageAnsweredForTheFileFailsSayingSoAndAMislabelledCsvLoads() throws Exception {
    String url =
        serve(
            (exchange, attempt) -> {
              exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
              boolean csv = exchange.getRequestURI().getPath().endsWith("people.csv");
              send(exchange, 200, csv ? CSV : "<!doctype html><html><body>Sign in</body></html>");
            });

    FileReport page = only(runAt(url + "/login/export", ""));
    FileReport mislabelled = only(run(url, ""));

    assertThat(page.status()).isEqualTo(FileStatus.FAILED);
    assertThat(page.fault()).contains(io.bucketload.core.error.Fault.SYSTEM);
    assertThat(page.error().orElseThrow())
        .endsWith(
            "/login/export: the server answered a web page (Content-Type text/html; charset=utf-8),"
                + " not a CSV file: a sign-in page wants credentials (source.headers), else check"
                + " the URL");
    assertThat(mislabelled.status()).isEqualTo(FileStatus.LOADED);
    assertThat(target.rows("people")).hasSize(3);
  }

  @Test
  void aUserInTheUrlIsAConfigurationError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> runAt("https://bob:hunter2@example.com/people.csv", ""))
        .isInstanceOf(io.bucketload.core.error.ConfigException.class)
        .hasMessageContaining("a user and password in the URL are not sent")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void theFileIsNamedAfterTheLastPartOfThePathThatIsNotEmpty() {
    assertThat(HttpSource.nameOf(java.net.URI.create("https://h/exports/123/download/")))
        .isEqualTo("download");
    assertThat(HttpSource.nameOf(java.net.URI.create("https://h/data/a.csv?format=csv")))
        .isEqualTo("a.csv");
    assertThat(HttpSource.nameOf(java.net.URI.create("https://h/"))).isEqualTo("h");
  }

  @Test
  void aSetWhoseInputsAreUrlsLoadsTogetherAndAnUnchangedSetIsSkipped() throws Exception {
    String url =
        serve(
            (exchange, attempt) -> {
              String path = exchange.getRequestURI().getPath();
              exchange.getResponseHeaders().set("ETag", "\"" + path.hashCode() + "\"");
              send(
                  exchange,
                  200,
                  path.endsWith("us.csv")
                      ? "date,cases\n2026-03-01,10\n2026-03-02,12\n"
                      : "Date,Recovered\n2026-03-01,1\n");
            });
    PipelineSpec spec =
        new PipelineSpecReader()
            .read(
                new StringReader(
                    """
                    name: covid
                    inputs:
                      - name: us
                        url: %s/nytimes/us.csv
                        schema: {columns: [{name: date, type: date}, {name: cases, type: long}]}
                      - name: recovered
                        url: %s/datasets/recovered.csv?raw=1
                        schema: {columns: [{name: Date, type: date}, {name: Recovered, type: long}]}
                    """
                        .formatted(url, url)),
                dir.resolve("pipeline.yaml"),
                dir);

    RunReport first;
    RunReport again;
    try (Pipeline pipeline =
        Pipeline.withTarget(spec, target, LoadListener.NONE, Clock.systemUTC())) {
      first = pipeline.run(List.of(), RunOptions.LOAD);
      again = pipeline.run(List.of(), RunOptions.LOAD);
    }

    assertThat(first.files())
        .extracting(FileReport::file, FileReport::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("us.csv", FileStatus.LOADED),
            org.assertj.core.groups.Tuple.tuple("recovered.csv", FileStatus.LOADED));
    assertThat(target.rows("us")).hasSize(2);
    assertThat(target.rows("recovered")).hasSize(1);
    assertThat(again.files()).extracting(FileReport::status).containsOnly(FileStatus.SKIPPED);
  }

  @Test
  void anInputWithAUrlBesideOneWithoutIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new PipelineSpecReader()
                    .read(
                        new StringReader(
                            """
                            name: mixed
                            source: {path: landing}
                            inputs:
                              - {name: a, url: "https://example.com/a.csv"}
                              - {name: b, match: "b*.csv"}
                            """),
                        dir.resolve("pipeline.yaml"),
                        dir))
        .isInstanceOf(io.bucketload.core.error.ConfigException.class)
        .hasMessageContaining("pipeline.yaml line 5: inputs[1]: give every input a url, or none");
  }
}
