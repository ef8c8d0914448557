package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run-history pages opened in a real browser (headless Chromium): {@code serve --listen} with
 * real runs (loaded, rows rejected, failed, notified), then {@code runs --html}. Assertions are on
 * the DOM Chromium rendered; screenshots go to {@code target/history-pages/} for people.
 */
class HistoryPagesBrowserIT {
  private static final String HOSTILE = "<img src=x onerror=alert(1)>.csv";
  private static final Path SHOTS = Path.of("target", "history-pages");

  @TempDir Path dir;
  private HttpServer hooks;
  private final List<String> delivered = new ArrayList<>();

  @BeforeEach
  void hooks() throws Exception {
    // Two webhooks of a real HTTP server: one takes notifications, one refuses them.
    hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hooks.createContext(
        "/ok",
        exchange -> {
          synchronized (delivered) {
            delivered.add(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    hooks.createContext(
        "/refuse",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    hooks.start();
  }

  @AfterEach
  void stopHooks() {
    hooks.stop(0);
  }

  @Test
  void servedPagesAndTheOneFilePageShowRunsRejectsFailuresAndNotificationsAsText()
      throws Exception {
    Path landing = Files.createDirectories(dir.resolve("landing"));
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: orders
        source: {path: landing, settle: 0s}
        schema:
          key: [id]
          columns:
            - {name: id, type: long, required: true}
            - {name: amount, type: "decimal(10,2)"}
            - {name: day, type: date}
        target: {path: orders.duckdb, table: orders, mode: upsert}
        rejects: {max: 2}
        trigger: {watch: 1s}
        notify:
          - webhook: {url: "${OK_HOOK}", retries: 0}
            on: [always]
          - webhook: {url: "${REFUSING_HOOK}", retries: 0}
            on: [failure]
        """);
    int port = hooks.getAddress().getPort();
    Map<String, String> environment =
        Map.of(
            "OK_HOOK", "http://127.0.0.1:" + port + "/ok",
            "REFUSING_HOOK", "http://127.0.0.1:" + port + "/refuse");
    // A run by hand first: the service reads it from the ledger.
    Files.writeString(landing.resolve("a.csv"), "id,amount,day\n1,1.50,2026-01-01\n");
    CliProcess.Result first = CliProcess.run(dir, environment, "run", "pipeline.yaml");
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    // Then the service's own run: rows rejected in a file of a hostile name, a file that fails.
    Files.writeString(
        landing.resolve(HOSTILE),
        "id,amount,day\n2,x,2026-01-01\n3,2.50,2026-13-02\n4,1,2026-01-03\n");
    Files.writeString(
        landing.resolve("bad.csv"),
        "id,amount,day\n5,x,2026-01-01\n6,y,2026-01-02\n7,z,2026-01-03\n");

    Path err = dir.resolve("serve.err");
    ProcessBuilder builder =
        CliProcess.builder(dir, err, "serve", "pipeline.yaml", "--listen", "127.0.0.1:0")
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(environment);
    Process serve = builder.start();
    String address;
    String runId;
    try {
      address = listening(serve);
      // Each run's report is printed when the run has ended (notifications sent).
      assertThat(
              CompletableFuture.supplyAsync(
                      () -> untilLine(serve.getInputStream(), "failed   bad.csv"))
                  .get(90, TimeUnit.SECONDS))
          .as("the service loads the new files")
          .isPresent();
      runId = servedRun(address);
      Files.createDirectories(SHOTS);

      String overview = Chromium.dom(address + "/", dir);
      String pipeline = Chromium.dom(address + "/pipelines/orders", dir);
      String run = Chromium.dom(address + "/pipelines/orders/runs/" + runId, dir);
      Chromium.screenshot(address + "/", SHOTS.resolve("overview.png"), 1280, 480, dir);
      Chromium.screenshot(
          address + "/pipelines/orders", SHOTS.resolve("pipeline.png"), 1280, 1500, dir);
      Chromium.screenshot(
          address + "/pipelines/orders/runs/" + runId, SHOTS.resolve("run.png"), 1280, 1500, dir);
      Chromium.screenshot(
          address + "/pipelines/orders/runs/" + runId,
          SHOTS.resolve("run-phone.png"),
          390,
          1600,
          dir);
      Chromium.screenshot(address + "/", SHOTS.resolve("overview-phone.png"), 390, 800, dir);

      // All pipelines: the failed last run puts it first, in need of attention.
      assertThat(text(overview)).contains("1 pipeline, 1 needs attention");
      assertThat(cells(overview, "tr class=\"attention\"")).as("the pipeline's row").isNotEmpty();
      assertThat(text(overview)).contains("orders").contains("failed").contains("ok");
      assertThat(cellsOfRow(overview, "attention"))
          .as(
              "loaded 24 h, failed 24 h, waiting: a.csv and the hostile file loaded, bad.csv failed")
          .endsWith("2", "1", "0");

      // A pipeline: both runs, the one by hand read from the ledger with its trigger.
      assertThat(text(pipeline))
          .contains("Runs")
          .contains("bucketload run")
          .contains("watch 1s")
          .contains("watch pass of")
          .contains("Files that failed")
          .contains("bad.csv: 3 of 3 rows rejected, over rejects.max 2");
      assertThat(count(pipeline, "<rect ")).as("a bar per run in the chart").isEqualTo(2);
      assertThat(count(pipeline, "<circle ")).as("a dot per run in the chart").isEqualTo(2);
      assertThat(pipeline).contains("class=\"o-failed\"").contains("class=\"o-loaded\"");

      // A run: its files and counts, the reject reasons and first rows, the error, the
      // notifications; the hostile name is text, never an element.
      assertThat(run).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;.csv");
      assertThat(text(run))
          .contains("Rejects of " + HOSTILE)
          .contains("not a decimal")
          .contains("not a date (expected yyyy-MM-dd)")
          .contains("bad.csv failed")
          .contains("the file's data: bad.csv: 3 of 3 rows rejected, over rejects.max 2");
      assertThat(cellsOfTableAfter(run, "First rejected rows"))
          .startsWith("2", "amount", "x", "not a decimal", "3", "day", "2026-13-02");
      assertThat(text(run))
          .contains("delivered notify[0] (webhook) webhook http://127.0.0.1")
          .contains("not delivered notify[1] (webhook) webhook http://127.0.0.1")
          .contains("HTTP 500")
          .doesNotContain("/ok")
          .doesNotContain("/refuse");
      synchronized (delivered) {
        assertThat(delivered).as("the service notified the hook").hasSizeGreaterThanOrEqualTo(1);
      }

      // Read-only: anything but GET is refused.
      HttpResponse<String> post =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(address + "/"))
                      .timeout(Duration.ofSeconds(10))
                      .POST(HttpRequest.BodyPublishers.ofString("x"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(Chromium.dom(address + "/pipelines/orders/runs/nope", dir))
          .contains("has no run nope");
    } finally {
      serve.destroy();
      if (!serve.waitFor(60, TimeUnit.SECONDS)) {
        serve.destroyForcibly();
      }
    }

    // The same pipeline page as one file, for those who do not run serve.
    CliProcess.Result written =
        CliProcess.run(dir, environment, "runs", "pipeline.yaml", "--html", "history.html");
    assertThat(written.exitCode()).as(written.out() + written.err()).isZero();
    assertThat(written.out()).contains("wrote the history of 2 run(s) of orders to history.html");
    String file = Files.readString(dir.resolve("history.html"));
    assertThat(file)
        .as("self-contained: no script, nothing fetched")
        .doesNotContain("<script")
        .doesNotContain("<link")
        .doesNotContainPattern("<[a-zA-Z][^>]*\\s(src|href)=\"?(https?:)?//")
        .doesNotContain("url(");
    String oneFile = Chromium.dom(dir.resolve("history.html").toUri().toString(), dir);
    Chromium.screenshot(
        dir.resolve("history.html").toUri().toString(),
        SHOTS.resolve("runs-html.png"),
        1280,
        2400,
        dir);
    assertThat(oneFile).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;.csv");
    assertThat(oneFile)
        .contains("id=\"run-" + runId + "\"")
        .contains("href=\"#run-" + runId + "\"");
    assertThat(text(oneFile))
        .contains("not a decimal")
        .contains("bucketload run")
        .contains("a.csv")
        .contains("delivered notify[0] (webhook) webhook http://127.0.0.1");
  }

  @Test
  void listeningBeyondLoopbackNeedsItsFlagAndIsWarnedAbout() throws Exception {
    Files.createDirectories(dir.resolve("landing"));
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        name: far
        source: {path: landing, settle: 0s}
        target: {path: far.duckdb, table: t}
        trigger: {watch: 1s}
        """);

    CliProcess.Result refused =
        CliProcess.run(dir, "serve", "pipeline.yaml", "--once", "--listen", "0.0.0.0:0");
    CliProcess.Result allowed =
        CliProcess.run(
            dir, "serve", "pipeline.yaml", "--once", "--listen", "0.0.0.0:0", "--listen-remote");

    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
    assertThat(refused.err()).contains("not a loopback address").contains("--listen-remote");
    assertThat(allowed.exitCode()).as(allowed.err()).isZero();
    assertThat(allowed.err())
        .contains("listening on 0.0.0.0:0 beyond this machine")
        .contains("no authentication");
  }

  private static String listening(Process serve) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> untilLine(serve.getErrorStream(), "bucketload: listening on "))
        .get(60, TimeUnit.SECONDS)
        .map(line -> line.substring(line.indexOf("http://")))
        .orElseThrow(() -> new AssertionError("serve ended without listening"));
  }

  /**
   * Reads lines until one contains {@code text}, then drains the rest in the background (the
   * process must never block on a full pipe); empty when the stream ends first.
   */
  private static java.util.Optional<String> untilLine(java.io.InputStream stream, String text) {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    try {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.contains(text)) {
          Thread drain =
              new Thread(
                  () -> {
                    try {
                      lines.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                      // The process ended.
                    }
                  });
          drain.setDaemon(true);
          drain.start();
          return java.util.Optional.of(line);
        }
      }
      return java.util.Optional.empty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The id of the service's run that tried bad.csv, from /runs. */
  private static String servedRun(String address) throws Exception {
    JsonNode runs =
        new ObjectMapper()
            .readTree(
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(URI.create(address + "/runs"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
    for (JsonNode run : runs) {
      if (run.toString().contains("bad.csv")) {
        assertThat(run.get("notifications")).as("both hooks told").hasSize(2);
        return run.get("run_id").asText();
      }
    }
    throw new AssertionError("no run of bad.csv in /runs: " + runs);
  }

  /** The text of a DOM, tags removed and entities of the pages decoded. */
  private static String text(String dom) {
    return dom.replaceAll("(?s)<style>.*?</style>", " ")
        .replaceAll("<[^>]*>", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replaceAll("\\s+", " ");
  }

  private static List<String> cells(String dom, String after) {
    int start = dom.indexOf(after);
    if (start < 0) {
      return List.of();
    }
    return cellTexts(dom.substring(start, dom.indexOf("</tr>", start)));
  }

  private static List<String> cellsOfRow(String dom, String rowClass) {
    return cells(dom, "<tr class=\"" + rowClass + "\">");
  }

  private static List<String> cellsOfTableAfter(String dom, String heading) {
    int start = dom.indexOf(heading);
    int end = dom.indexOf("</table>", start);
    return cellTexts(dom.substring(start, end));
  }

  private static List<String> cellTexts(String html) {
    List<String> cells = new ArrayList<>();
    Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(html);
    while (cell.find()) {
      cells.add(text(cell.group(1)).trim());
    }
    return cells;
  }

  private static int count(String text, String part) {
    int found = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      found++;
    }
    return found;
  }
}
