package io.bucketload.core.notify;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.NotifySpec;
import io.bucketload.core.spec.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code notify: [{webhook: {url: "${SLACK_WEBHOOK_URL}"}}]}: POSTs the {@link
 * RunMessage#webhookPayload() payload} (Slack-compatible {@code text} and {@code blocks}, and the
 * JSON report as {@code data}) over HTTPS with the JDK's certificate checks. A 429 or 5xx answer, a
 * timeout or a broken connection is retried with backoff (1 s, doubling), honouring {@code
 * Retry-After} up to a minute; any other answer is final. Thread-safe.
 */
public final class WebhookNotifier implements Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

  /** The channel's keys. */
  static final Set<String> KEYS = Set.of("url", "timeout", "retries");

  /** The longest {@code Retry-After} honoured. */
  static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(1);

  /**
   * How long one notification may take in all, retries included: it holds its pipeline's turn (and
   * a Lambda invocation), so it gives up rather than wait longer.
   */
  static final Duration BUDGET = Duration.ofMinutes(2);

  private final URI url;
  private final Duration timeout;
  private final int retries;
  private final Duration firstBackoff;
  private final UnaryOperator<String> mask;
  private final HttpClient client;

  /** Ends the waits of the attempts at a stop. */
  private final RetryStop stop = new RetryStop();

  /**
   * Creates the channel.
   *
   * @param url where to POST
   * @param timeout how long one attempt may take
   * @param retries attempts after the first
   * @param firstBackoff the wait before the first retry, doubling after each
   * @param mask hides secrets (the URL itself may be one) in errors and logs
   */
  public WebhookNotifier(
      URI url, Duration timeout, int retries, Duration firstBackoff, UnaryOperator<String> mask) {
    this.url = url;
    this.timeout = timeout;
    this.retries = retries;
    this.firstBackoff = firstBackoff;
    this.mask = mask;
    this.client =
        HttpClient.newBuilder()
            // Over plain http (a local relay) HTTP/2 would be offered as an "Upgrade: h2c" header,
            // which some relays answer wrongly for a POST; over https HTTP/2 is agreed in TLS.
            .version(
                url.getScheme().equals("http")
                    ? HttpClient.Version.HTTP_1_1
                    : HttpClient.Version.HTTP_2)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Opens the channel a pipeline declares.
   *
   * @throws ConfigException naming the file, line and key
   */
  static WebhookNotifier open(NotifySpec spec, UnaryOperator<String> mask) {
    Settings settings = spec.settings();
    settings.allowOnly(KEYS);
    String text = spec.required("url", "webhook: {url: \"${SLACK_WEBHOOK_URL}\"}");
    URI url;
    try {
      url = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      // The text is not repeated: a webhook URL is a secret.
      throw settings.error("url", "not a URL");
    }
    if (url.getHost() == null
        || !(url.getScheme().equals("https")
            || (url.getScheme().equals("http") && loopback(url.getHost())))) {
      throw settings.error(
          "url", "expected an https:// URL (http:// only to this machine, for a local relay)");
    }
    Duration timeout = settings.duration("timeout", Duration.ofSeconds(10));
    int retries = (int) settings.number("retries", 3, 0, 5);
    return new WebhookNotifier(url, timeout, retries, Duration.ofSeconds(1), mask);
  }

  private static boolean loopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")
          && InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String describe() {
    // The path of a Slack webhook URL is its secret: only the host is shown.
    return "webhook " + url.getScheme() + "://" + url.getHost();
  }

  /** {@inheritDoc} At most {@link #BUDGET} in all, retries included. */
  @Override
  public void runFinished(RunReport report) {
    send(RunMessage.of(report).webhookPayload().toString());
  }

  /**
   * POSTs a JSON body, retrying as the class says.
   *
   * @throws NotificationException when no attempt was accepted
   */
  void send(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + BUDGET.toNanos();
    String last = "";
    int attempts = 0;
    for (int attempt = 0; attempt <= retries; attempt++) {
      attempts++;
      Optional<Duration> retryAfter = Optional.empty();
      try {
        Optional<HttpResponse<String>> answered =
            unlessStopped(
                client.sendAsync(
                    HttpRequest.newBuilder(url)
                        .timeout(timeout)
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("User-Agent", "bucketload")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()));
        if (answered.isEmpty()) {
          last = "no answer before the service stopped; gave up: the service is stopping";
          break;
        }
        HttpResponse<String> response = answered.get();
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return;
        }
        last = "HTTP " + status + answer(response.body());
        if (status != 429 && status < 500) {
          throw new NotificationException(describe() + ": refused: " + mask.apply(last), null);
        }
        retryAfter = response.headers().firstValue("Retry-After").flatMap(WebhookNotifier::delay);
      } catch (HttpTimeoutException e) {
        last = "no answer within " + timeout.toMillis() + " ms";
      } catch (IOException e) {
        last = "cannot reach it: " + io.bucketload.core.error.IoFailures.reason(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotificationException(describe() + ": interrupted", e);
      }
      if (attempt < retries) {
        Duration wait = retryAfter.orElse(firstBackoff.multipliedBy(1L << Math.min(attempt, 10)));
        if (System.nanoTime() + wait.plus(timeout).toNanos() > deadline) {
          last += "; gave up: another attempt would outlast " + BUDGET.toMinutes() + " minutes";
          break;
        }
        LOG.info("{}: {}; trying again in {} ms", describe(), mask.apply(last), wait.toMillis());
        if (pauseUnlessStopped(wait)) {
          last += "; gave up: the service is stopping";
          break;
        }
      }
    }
    throw new NotificationException(
        describe() + ": not delivered after " + attempts + " attempt(s): " + mask.apply(last),
        null);
  }

  /** The answer of an attempt, or empty when the service is stopping first. */
  private Optional<HttpResponse<String>> unlessStopped(
      java.util.concurrent.CompletableFuture<HttpResponse<String>> pending)
      throws IOException, InterruptedException {
    try {
      return stop.await(pending);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException failure) {
        throw failure;
      }
      throw new NotificationException(
          describe() + ": " + mask.apply(String.valueOf(e.getCause())), e.getCause());
    }
  }

  /**
   * Waits before the next attempt.
   *
   * @return whether the service is stopping (asked before or during the wait)
   */
  private boolean pauseUnlessStopped(Duration wait) {
    try {
      return stop.pause(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotificationException(describe() + ": interrupted", e);
    }
  }

  @Override
  public void stopRetrying() {
    stop.stop();
  }

  private static String answer(String body) {
    String trimmed = body == null ? "" : body.strip();
    if (trimmed.isEmpty()) {
      return "";
    }
    return ": " + (trimmed.length() <= 200 ? trimmed : trimmed.substring(0, 200) + "…");
  }

  /** A {@code Retry-After} value: seconds or an HTTP date; at most a minute. */
  static Optional<Duration> delay(String value) {
    Duration wait;
    try {
      wait = Duration.ofSeconds(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      try {
        wait =
            Duration.between(
                java.time.Instant.now(),
                ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
    if (wait.isNegative()) {
      wait = Duration.ZERO;
    }
    return Optional.of(wait.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : wait);
  }
}
