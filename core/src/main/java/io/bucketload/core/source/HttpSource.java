package io.bucketload.core.source;

import io.bucketload.core.scratch.ScratchFolder;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file at an HTTP(S) URL as a source ({@code source.path: https://host/file.csv}). The file's
 * version is the server's strong {@code ETag}, else its {@code Last-Modified} and length, else the
 * SHA-256 of its content: identifying costs one {@code HEAD} request when the server tells either,
 * so an unchanged URL is skipped without a download. The bytes are streamed from a {@code GET}
 * pinned to that version ({@code If-Match} / {@code If-Unmodified-Since}); a connection cut
 * mid-body is resumed with {@code Range} where the server allows, else read again from the start.
 * 5xx and 429 answers and broken connections are retried with backoff. Certificates are always
 * checked. Thread-safe.
 */
public final class HttpSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSource.class);

  private final URI url;
  private final String key;
  private final HttpClient client;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final int retries;
  private final Duration firstBackoff;

  /** What identifying found, by key, for {@link #open}: the validators or a downloaded copy. */
  private final Map<String, Identified> identified = new ConcurrentHashMap<>();

  /** A version as identified: how to ask for exactly it, or where its bytes were kept. */
  private record Identified(
      FileVersion version,
      Optional<String> etag,
      Optional<String> lastModified,
      Optional<Path> copy) {}

  /**
   * Creates the source.
   *
   * @param url the file
   * @param client the HTTP client (its TLS context, redirect policy and connect timeout)
   * @param headers sent with every request, e.g. {@code Authorization}
   * @param timeout how long to wait for an answer's headers
   * @param retries attempts after the first, for 5xx, 429 and broken connections
   * @param firstBackoff the wait before the first retry, doubling after each
   */
  public HttpSource(
      URI url,
      HttpClient client,
      Map<String, String> headers,
      Duration timeout,
      int retries,
      Duration firstBackoff) {
    this.url = url;
    this.client = client;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
    this.retries = retries;
    this.firstBackoff = firstBackoff;
    this.key = nameOf(url);
  }

  /**
   * The file's name: the last part of the URL's path that is not empty ({@code download} for {@code
   * .../123/download/}), else the host.
   */
  static String nameOf(URI url) {
    String path = url.getPath() == null ? "" : url.getPath().replaceFirst("/+$", "");
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.isEmpty() ? url.getHost() : name;
  }

  @Override
  public boolean remote() {
    return true;
  }

  @Override
  public String describe() {
    return io.bucketload.core.spec.SourceSpec.urlForPeople(url.toString());
  }

  /** {@inheritDoc} The URL's one file, named after the last part of its path. */
  @Override
  public List<SourceObject> list() {
    return List.of(new SourceObject(key, describe(), -1));
  }

  /** {@inheritDoc} False: the URL is listed without asking the server. */
  @Override
  public boolean listsWhatExists() {
    return false;
  }

  /** {@inheritDoc} True: the URL's file loads whatever its name ({@code /export?format=csv}). */
  @Override
  public boolean oneFile() {
    return true;
  }

  @Override
  public boolean owns(String name) {
    return name.equals(key) || name.equals(url.toString()) || name.equals(describe());
  }

  @Override
  public SourceObject resolve(String name) throws IOException {
    if (!owns(name)) {
      throw new NoSuchFileException(name, null, "not this source's URL: " + describe());
    }
    return list().get(0);
  }

  /**
   * {@inheritDoc} The strong {@code ETag}, else the {@code Last-Modified} and length, that a {@code
   * HEAD} answers; empty when it answers neither (or refuses HEAD).
   */
  @Override
  public Optional<String> versionTag(SourceObject object) throws IOException {
    return head().map(Validators::checksum);
  }

  /**
   * What a {@code HEAD} tells of the file's version; empty when it tells neither a strong tag nor a
   * date with a length, or when the server does not answer HEAD (405, 501), or refuses it where it
   * would answer a GET (403: a pre-signed URL's signature covers its method).
   */
  private Optional<Validators> head() throws IOException {
    HttpResponse<Void> head = send(request("HEAD"), HttpResponse.BodyHandlers.discarding());
    if (head.statusCode() == 405 || head.statusCode() == 501 || head.statusCode() == 403) {
      return Optional.empty();
    }
    expectOk(head);
    return validators(head);
  }

  /** The version a HEAD tells: a strong tag, else a date with a length. */
  private record Validators(Optional<String> etag, Optional<String> lastModified, long size) {
    String checksum() {
      return etag.map(tag -> "etag:" + tag)
          .orElseGet(() -> "modified:" + lastModified.get() + "+" + size);
    }
  }

  private static Optional<Validators> validators(HttpResponse<?> head) {
    Optional<String> etag = head.headers().firstValue("ETag").filter(tag -> !tag.startsWith("W/"));
    Optional<String> lastModified = head.headers().firstValue("Last-Modified");
    OptionalLong length = head.headers().firstValueAsLong("Content-Length");
    if (etag.isEmpty() && (lastModified.isEmpty() || length.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new Validators(etag, lastModified, length.orElse(-1)));
  }

  @Override
  public FileVersion identify(SourceObject object) throws IOException {
    Optional<Validators> told = head();
    if (told.isEmpty()) {
      return identifyByContent();
    }
    Validators validators = told.get();
    FileVersion version = new FileVersion(key, validators.size(), validators.checksum());
    forget();
    identified.put(
        key,
        new Identified(version, validators.etag(), validators.lastModified(), Optional.empty()));
    return version;
  }

  /** Downloads the file once, hashing it, and keeps the copy for {@link #open}. */
  private FileVersion identifyByContent() throws IOException {
    Path copy = ScratchFolder.ofProcess().newFile("bucketload-http-", ".part");
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    try (InputStream in =
        new DigestInputStream(
            download(Optional.empty(), Optional.empty(), OptionalLong.empty()), sha256)) {
      Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
    FileVersion version =
        new FileVersion(
            key, Files.size(copy), "sha256:" + HexFormat.of().formatHex(sha256.digest()));
    forget();
    identified.put(
        key, new Identified(version, Optional.empty(), Optional.empty(), Optional.of(copy)));
    return version;
  }

  @Override
  public InputStream open(SourceObject object) throws IOException {
    Identified version = identified.get(key);
    if (version == null) {
      identify(object);
      version = identified.get(key);
    }
    if (version.copy().isPresent()) {
      return Files.newInputStream(version.copy().get());
    }
    long size = version.version().size();
    return download(
        version.etag(),
        version.lastModified(),
        size >= 0 ? OptionalLong.of(size) : OptionalLong.empty());
  }

  /**
   * The body of a {@code GET}, pinned to a version when validators are given, resumed with {@code
   * Range} when the connection breaks mid-body and the server allows it.
   *
   * @param size the length the version was identified with, when known
   */
  private InputStream download(
      Optional<String> etag, Optional<String> lastModified, OptionalLong size) throws IOException {
    HttpRequest.Builder get = request("GET");
    etag.ifPresent(tag -> get.header("If-Match", tag));
    if (etag.isEmpty()) {
      lastModified.ifPresent(date -> get.header("If-Unmodified-Since", date));
    }
    HttpResponse<InputStream> response = send(get, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() == 412) {
      response.body().close();
      throw new IOException(
          describe()
              + ": the file changed on the server since it was identified; it loads at"
              + " the next run");
    }
    expectOk(response);
    Optional<String> changed = changedSince(etag, lastModified, size, response.headers());
    if (changed.isPresent()) {
      // A server that ignores If-Match or If-Unmodified-Since: the body is another version than
      // the one identified, which the ledger would record with this body's rows.
      response.body().close();
      throw new IOException(
          describe()
              + ": the file changed on the server since it was identified ("
              + changed.get()
              + "); it loads at the next run");
    }
    boolean ranges =
        response
            .headers()
            .firstValue("Accept-Ranges")
            .map(value -> value.contains("bytes"))
            .orElse(false);
    Optional<String> validator = etag.or(() -> lastModified);
    // Peeked through the resuming body, whose watchdog ends a body that stops sending.
    return refuseHtml(
        response.headers(),
        new Resuming(
            response.body(), ranges && validator.isPresent() ? validator : Optional.empty()));
  }

  /**
   * Fails on an HTML page where a CSV file was asked for: a sign-in or error page that a server
   * answers with 200 would otherwise load as a file of one odd column.
   */
  private InputStream refuseHtml(java.net.http.HttpHeaders headers, InputStream read)
      throws IOException {
    String type = headers.firstValue("Content-Type").orElse("");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html")) {
      return read;
    }
    // Labelled HTML and starting with a tag: a CSV file mislabelled by its server is read.
    java.io.PushbackInputStream body = new java.io.PushbackInputStream(read, 64);
    byte[] start;
    try {
      start = body.readNBytes(64);
    } catch (IOException e) {
      body.close();
      throw e;
    }
    body.unread(start);
    String text = new String(start, java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading();
    if (text.startsWith("<")) {
      body.close();
      throw new IOException(
          describe()
              + ": the server answered a web page (Content-Type "
              + type
              + "), not a CSV file: a sign-in page wants credentials (source.headers), else"
              + " check the URL");
    }
    return body;
  }

  /**
   * How the headers of the answer to a pinned {@code GET} show another version than the one
   * identified, if they do: another {@code ETag}, another {@code Last-Modified}, or another length
   * of the same (not re-encoded) representation.
   */
  private static Optional<String> changedSince(
      Optional<String> etag,
      Optional<String> lastModified,
      OptionalLong size,
      java.net.http.HttpHeaders answer) {
    // Compared as opaque tags: a compressing proxy may weaken a tag (W/"v1") without changing it.
    Optional<String> answeredTag =
        answer.firstValue("ETag").map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag);
    if (etag.isPresent() && answeredTag.isPresent()) {
      return answeredTag.get().equals(etag.get())
          ? Optional.empty()
          : Optional.of("ETag " + etag.get() + ", now " + answeredTag.get());
    }
    // No tag to compare: the date and the length, as identified without a tag or as the HEAD gave
    // them beside it (a HEAD whose length is 0 tells nothing: some servers answer HEAD so).
    Optional<String> answeredDate = answer.firstValue("Last-Modified");
    if (lastModified.isPresent()
        && answeredDate.isPresent()
        && !answeredDate.get().equals(lastModified.get())) {
      return Optional.of("Last-Modified " + lastModified.get() + ", now " + answeredDate.get());
    }
    OptionalLong length = answer.firstValueAsLong("Content-Length");
    boolean encoded =
        answer
            .firstValue("Content-Encoding")
            .filter(e -> !e.equalsIgnoreCase("identity"))
            .isPresent();
    if (size.isPresent()
        && size.getAsLong() > 0
        && length.isPresent()
        && !encoded
        && length.getAsLong() != size.getAsLong()) {
      return Optional.of(size.getAsLong() + " bytes, now " + length.getAsLong() + " bytes");
    }
    return Optional.empty();
  }

  /**
   * A body that picks up where a broken connection left it, with {@code Range} and {@code
   * If-Range}.
   */
  private final class Resuming extends FilterInputStream {
    private final Optional<String> validator;
    private final java.util.concurrent.ScheduledFuture<?> watch;
    private long read;
    private int resumes;

    /** When the read in progress began; 0 while no read waits. */
    private volatile long waitingSince;

    /** Whether the watchdog ended the body because it sent nothing for the timeout. */
    private volatile boolean stalled;

    Resuming(InputStream body, Optional<String> validator) {
      super(body);
      this.validator = validator;
      this.watch =
          STALLS.scheduleWithFixedDelay(
              this::endIfStalled, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * Closes the body when a read has waited longer than the timeout: a closed body ends the read
     * that waits (with an IOException), where the client alone would wait as long as the server
     * keeps the connection open. Only time spent in a read counts, not the reader's own pauses.
     */
    private void endIfStalled() {
      long since = waitingSince;
      if (since != 0 && System.nanoTime() - since > timeout.toNanos()) {
        stalled = true;
        try {
          in.close();
        } catch (IOException e) {
          // The read that waits ends either way.
        }
      }
    }

    @Override
    public void close() throws IOException {
      watch.cancel(false);
      super.close();
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      while (true) {
        try {
          waitingSince = System.nanoTime();
          int n;
          try {
            n = super.read(buffer, offset, length);
          } finally {
            waitingSince = 0;
          }
          if (n > 0) {
            read += n;
          } else if (n < 0) {
            watch.cancel(false);
          }
          return n;
        } catch (IOException e) {
          String what =
              stalled
                  ? "no data came for " + timeout.toSeconds() + " s (source.timeout) after "
                  : "the connection broke after ";
          String why = stalled ? "" : ": " + e.getMessage();
          stalled = false;
          if (validator.isEmpty() || resumes >= retries) {
            watch.cancel(false);
            throw new IOException(describe() + ": " + what + read + " bytes" + why, e);
          }
          resumes++;
          LOG.info("{}: the connection broke after {} bytes; resuming", describe(), read);
          in.close();
          HttpRequest.Builder rest =
              request("GET")
                  .header("Range", "bytes=" + read + "-")
                  .header("If-Range", validator.get());
          HttpResponse<InputStream> response =
              send(rest, HttpResponse.BodyHandlers.ofInputStream());
          if (response.statusCode() != 206) {
            response.body().close();
            throw new IOException(
                describe()
                    + ": the connection broke after "
                    + read
                    + " bytes and the server did not resume (HTTP "
                    + response.statusCode()
                    + "); the file loads at the next run");
          }
          in = response.body();
        }
      }
    }
  }

  /** The watchdog of bodies that stop sending (see {@link Resuming}); one daemon thread. */
  private static final java.util.concurrent.ScheduledExecutorService STALLS =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "bucketload-http-stalls");
            thread.setDaemon(true);
            return thread;
          });

  private HttpRequest.Builder request(String method) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("User-Agent", "bucketload")
            .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(builder::header);
    return builder;
  }

  /** Sends with retries on 5xx, 429 and broken connections; a 404 is a missing file. */
  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
      throws IOException {
    HttpRequest built = request.build();
    String last = "";
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        pause(firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 10)), last);
      }
      HttpResponse<T> response;
      try {
        response = following(built, body);
      } catch (HttpTimeoutException e) {
        last =
            "no answer within "
                + (timeout.toMillis() % 1000 == 0
                    ? timeout.toSeconds() + " s"
                    : timeout.toMillis() + " ms")
                + " (source.timeout)";
        continue;
      } catch (RedirectRefused e) {
        // The same answer would come again.
        throw e;
      } catch (IOException e) {
        last = "cannot reach it: " + io.bucketload.core.error.IoFailures.reason(e);
        if (e instanceof javax.net.ssl.SSLException) {
          // A certificate that does not check out will not check out on a retry.
          throw new IOException(describe() + ": TLS failed: " + e.getMessage() + tlsHint(e), e);
        }
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(describe() + ": interrupted", e);
      }
      int status = response.statusCode();
      if (status >= 500 || status == 429) {
        last = "HTTP " + status;
        if (response.body() instanceof InputStream stream) {
          stream.close();
        }
        continue;
      }
      return response;
    }
    throw new IOException(
        describe()
            + ": "
            + last
            + " (after "
            + (retries + 1)
            + (retries == 0 ? " attempt)" : " attempts)"));
  }

  /** A redirect not followed: too many, or from https to http. */
  private static final class RedirectRefused extends IOException {
    private static final long serialVersionUID = 1L;

    RedirectRefused(String message) {
      super(message);
    }
  }

  /** The most redirects one request follows. */
  private static final int MAX_REDIRECTS = 5;

  /**
   * Sends, following up to {@value #MAX_REDIRECTS} redirects, never from https to http. A redirect
   * to another origin (scheme, host and port) goes without the pipeline's {@code headers}: they
   * carry credentials for this server only (a pre-signed URL elsewhere would refuse them, too).
   */
  private <T> HttpResponse<T> following(HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    HttpRequest current = request;
    for (int redirects = 0; ; redirects++) {
      HttpResponse<T> response = client.send(current, body);
      int status = response.statusCode();
      java.util.Optional<String> location = response.headers().firstValue("Location");
      if (!isRedirect(status) || location.isEmpty()) {
        return response;
      }
      if (response.body() instanceof InputStream stream) {
        stream.close();
      }
      URI next;
      try {
        next = current.uri().resolve(location.get().trim());
      } catch (IllegalArgumentException e) {
        // The location is not shown: a pre-signed one carries its signature.
        throw new RedirectRefused(
            describe() + ": HTTP " + status + " to a location that is not a URL");
      }
      if (!"http".equalsIgnoreCase(next.getScheme())
          && !"https".equalsIgnoreCase(next.getScheme())) {
        throw new RedirectRefused(
            describe()
                + ": HTTP "
                + status
                + " redirects to a "
                + next.getScheme()
                + " URL, which is not followed");
      }
      if (current.uri().getScheme().equals("https") && !"https".equals(next.getScheme())) {
        throw new RedirectRefused(
            describe()
                + ": HTTP "
                + status
                + " redirects from https to "
                + next.getScheme()
                + ", which is not followed");
      }
      if (redirects == MAX_REDIRECTS) {
        throw new RedirectRefused(
            describe()
                + ": HTTP "
                + status
                + " after "
                + MAX_REDIRECTS
                + " redirects (a redirect loop, or more than "
                + MAX_REDIRECTS
                + ")");
      }
      boolean sameOrigin = sameOrigin(url, next);
      current =
          HttpRequest.newBuilder(current, (name, value) -> sameOrigin || !isOwnHeader(name))
              .uri(next)
              .build();
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private boolean isOwnHeader(String name) {
    return headers.keySet().stream().anyMatch(own -> own.equalsIgnoreCase(name));
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(String.valueOf(b.getScheme()))
        && a.getHost().equalsIgnoreCase(String.valueOf(b.getHost()))
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0
        ? uri.getPort()
        : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private void pause(Duration wait, String reason) throws IOException {
    LOG.info("{}: {}; trying again in {} ms", describe(), reason, wait.toMillis());
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(describe() + ": interrupted", e);
    }
  }

  private void expectOk(HttpResponse<?> response) throws IOException {
    int status = response.statusCode();
    if (status == 404 || status == 410) {
      throw new NoSuchFileException(describe(), null, "HTTP " + status);
    }
    if (status >= 300 && status < 400) {
      throw new IOException(describe() + ": HTTP " + status + " without a Location to follow");
    }
    if (status < 200 || status >= 300) {
      throw new IOException(describe() + ": HTTP " + status + statusHint(status));
    }
  }

  /**
   * What to do about a TLS failure: a certificate for another name needs the right host, one that
   * no trusted CA signed needs {@code source.ca_file}.
   */
  private String tlsHint(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("No subject alternative") || message.contains("No name matching")) {
      return " (the server's certificate is not for "
          + url.getHost()
          + ": use the host name it was issued for)";
    }
    return message.contains("PKIX") || message.contains("certification path")
        ? " (a server whose certificate a private CA signed needs source.ca_file)"
        : "";
  }

  private static String statusHint(int status) {
    return status == 401 || status == 403
        ? " (the server wants credentials: source.headers, e.g. Authorization: \"Bearer ${TOKEN}\")"
        : "";
  }

  /** Deletes a copy kept by an earlier identification. */
  private void forget() {
    Identified earlier = identified.remove(key);
    if (earlier != null && earlier.copy().isPresent()) {
      try {
        Files.deleteIfExists(earlier.copy().get());
      } catch (IOException e) {
        LOG.debug("cannot delete {}: {}", earlier.copy().get(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    forget();
  }
}
