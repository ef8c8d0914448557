package io.bucketload.core.source;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.SourceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Opens {@code https://} (and {@code http://}) sources: one file at a URL. Settings besides the
 * common ones: {@code headers} (sent with every request, e.g. {@code Authorization: "Bearer
 * ${TOKEN}"}), {@code ca_file} (PEM certificates of a private CA, trusted instead of the JDK's),
 * {@code timeout} (default 30 s) and {@code retries} (default 3). Certificates are always checked.
 * What bucketload writes back goes to {@code source.output}, by default a {@code bucketload-out}
 * folder beside the pipeline file.
 */
public class HttpSourceFactory implements SourceFactory {
  /** Where rejects, failed copies and exports go when {@code source.output} is not set. */
  public static final String DEFAULT_OUTPUT = "bucketload-out";

  private static final String HEADERS = "headers.";

  private final String scheme;

  /** The {@code https} factory. */
  public HttpSourceFactory() {
    this("https");
  }

  HttpSourceFactory(String scheme) {
    this.scheme = scheme;
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public Source open(SourceSpec spec) {
    return source(spec.path(), "source.path", spec.settings(), Set.of());
  }

  /**
   * A source of one URL with the shared settings ({@code headers}, {@code ca_file}, {@code
   * timeout}, {@code retries}); {@code extraKeys} are other keys the section may have.
   *
   * @throws ConfigException naming a bad setting
   */
  static HttpSource source(String text, String key, Settings settings, Set<String> extraKeys) {
    Map<String, String> headers = new HashMap<>();
    Set<String> known = new HashSet<>(Sources.COMMON_KEYS);
    known.addAll(Set.of("ca_file", "timeout", "retries"));
    known.addAll(extraKeys);
    for (String name : settings.keys()) {
      if (name.startsWith(HEADERS) && name.length() > HEADERS.length()) {
        headers.put(name.substring(HEADERS.length()), settings.get(name).orElse(""));
        known.add(name);
      }
    }
    settings.allowOnly(known);
    URI url;
    try {
      url = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": not a URL: " + e.getMessage(), e);
    }
    if (url.getHost() == null) {
      throw new ConfigException(key + ": expected a URL such as https://host/file.csv");
    }
    if (url.getRawUserInfo() != null) {
      // Java's client would drop them without a word, and the server then asks for credentials.
      throw new ConfigException(
          key
              + ": a user and password in the URL are not sent; give them as a header instead,"
              + " e.g. headers: {Authorization: \"Basic ${CREDENTIALS}\"}, with CREDENTIALS the"
              + " base64 of user:password");
    }

    for (Map.Entry<String, String> header : headers.entrySet()) {
      try {
        // What the client would refuse at the first request: a name it sets itself (Host,
        // Connection, Content-Length, ...), or a name or value that is not HTTP's.
        HttpRequest.newBuilder(url).header(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        throw settings.error(
            HEADERS + header.getKey(),
            "cannot be sent: " + String.valueOf(e.getMessage()).replace(header.getValue(), "****"));
      }
    }
    Duration timeout = settings.duration("timeout", Duration.ofSeconds(30));
    int retries = (int) settings.number("retries", 3, 0, 10);
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            // HttpSource follows redirects itself: the JDK's would send the pipeline's headers
            // (credentials) on to any other host.
            .followRedirects(HttpClient.Redirect.NEVER);
    if (settings.get("ca_file").isPresent()) {
      client.sslContext(trusting(settings, settings.path("ca_file", "")));
    }
    // Messages name the URL without its query and never a header, so they hold no secret.
    return new HttpSource(url, client.build(), headers, timeout, retries, Duration.ofSeconds(1));
  }

  /** An SSL context that trusts the certificates of a PEM file. */
  private static SSLContext trusting(Settings settings, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int index = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + index++, certificate);
      }
      if (index == 0) {
        throw settings.error("ca_file", "no certificate in " + file);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw settings.error("ca_file", "cannot read " + file + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw settings.error("ca_file", "not PEM certificates: " + file + ": " + e.getMessage());
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A URL cannot be written: without {@code source.output}, a folder named after the pipeline
   * file in a {@code bucketload-out} folder beside it ({@code bucketload-out/daily/} for {@code
   * daily.yaml}), so that the pipelines of one folder keep their rejects apart.
   */
  @Override
  public OutputStore outputs(String location, SourceSpec spec) {
    if (spec.output().isPresent()) {
      throw new ConfigException(
          "source.output: '" + location + "' cannot be written; give a folder or an s3:// prefix");
    }
    return new LocalFolderOutputs(spec.resolveLocal(defaultOutput(spec.settings().fileName())));
  }

  /** {@code bucketload-out/} and the pipeline file's name without its extension. */
  static String defaultOutput(String pipelineFile) {
    java.nio.file.Path name = java.nio.file.Path.of(pipelineFile).getFileName();
    String stem = name == null ? "" : name.toString().replaceFirst("\\.(yaml|yml)$", "");
    return stem.isEmpty() || stem.startsWith(".") ? DEFAULT_OUTPUT : DEFAULT_OUTPUT + "/" + stem;
  }

  /** The {@code http} factory: the same, without TLS (for servers on a private network). */
  public static final class PlainHttp extends HttpSourceFactory {
    /** Creates the factory. */
    public PlainHttp() {
      super("http");
    }
  }
}
