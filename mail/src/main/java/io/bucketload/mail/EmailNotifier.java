package io.bucketload.mail;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.notify.NotificationException;
import io.bucketload.core.notify.Notifier;
import io.bucketload.core.notify.RetryStop;
import io.bucketload.core.notify.RunMessage;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.NotifySpec;
import io.bucketload.core.spec.Settings;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code notify: [{email: {to: [...], from: ..., smtp: {...}}}]}: one email per run, with a plain
 * text and an HTML part ({@link RunMessage}), sent through SMTP with Jakarta Mail. TLS is {@code
 * starttls} unless told otherwise, with the server's certificate and name checked; {@code none} is
 * for a relay on this machine or a private network only. A failed send is tried twice more, 1 and 2
 * s apart. Thread-safe.
 */
public final class EmailNotifier implements Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(EmailNotifier.class);

  /** The channel's keys. */
  static final Set<String> KEYS =
      Set.of(
          "to",
          "from",
          "smtp.host",
          "smtp.port",
          "smtp.user",
          "smtp.password",
          "smtp.tls",
          "smtp.timeout");

  private static final int ATTEMPTS = 3;

  private final Session session;
  private final InternetAddress from;
  private final List<InternetAddress> to;
  private final String server;
  private final UnaryOperator<String> mask;

  /** Ends the waits of the attempts at a stop. */
  private final RetryStop stop = new RetryStop();

  /** Where attempts run, so that a stop need not wait for a server that does not answer. */
  private static final java.util.concurrent.ExecutorService SENDING =
      java.util.concurrent.Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "bucketload-email");
            thread.setDaemon(true);
            return thread;
          });

  private EmailNotifier(
      Session session,
      InternetAddress from,
      List<InternetAddress> to,
      String server,
      UnaryOperator<String> mask) {
    this.session = session;
    this.from = from;
    this.to = to;
    this.server = server;
    this.mask = mask;
  }

  /**
   * Opens the channel a pipeline declares.
   *
   * @throws ConfigException naming the file, line and key
   */
  static EmailNotifier open(NotifySpec spec, UnaryOperator<String> mask) {
    Settings settings = spec.settings();
    settings.allowOnly(KEYS);
    List<InternetAddress> to =
        spec.list("to").stream().map(a -> address(settings, "to", a)).toList();
    if (to.isEmpty()) {
      throw spec.missing("to", "to: [data-team@example.com]");
    }
    InternetAddress from =
        address(settings, "from", spec.required("from", "from: bucketload@example.com"));
    String host = spec.required("smtp.host", "smtp: {host: smtp.example.com}");
    String tls = settings.get("smtp.tls").orElse("starttls").trim().toLowerCase(Locale.ROOT);
    int defaultPort =
        switch (tls) {
          case "starttls" -> 587;
          case "tls" -> 465;
          case "none" -> 25;
          default ->
              throw settings.error(
                  "smtp.tls", "unknown value '" + tls + "'; expected starttls, tls or none");
        };
    if (tls.equals("none")) {
      checkUnencrypted(settings, host);
    }
    int port = (int) settings.number("smtp.port", defaultPort, 1, 65535);
    Duration timeout = settings.duration("smtp.timeout", Duration.ofSeconds(30));
    Optional<String> user = settings.get("smtp.user");
    Optional<String> password = settings.get("smtp.password");
    if (user.isPresent() != password.isPresent()) {
      throw settings.error(
          user.isPresent() ? "smtp.user" : "smtp.password",
          "give both smtp.user and smtp.password, or neither");
    }
    Properties properties = new Properties();
    properties.put("mail.smtp.host", host);
    properties.put("mail.smtp.port", Integer.toString(port));
    String millis = Long.toString(timeout.toMillis());
    properties.put("mail.smtp.connectiontimeout", millis);
    properties.put("mail.smtp.timeout", millis);
    properties.put("mail.smtp.writetimeout", millis);
    properties.put("mail.smtp.auth", Boolean.toString(user.isPresent()));
    if (tls.equals("starttls")) {
      properties.put("mail.smtp.starttls.enable", "true");
      properties.put("mail.smtp.starttls.required", "true");
      properties.put("mail.smtp.ssl.checkserveridentity", "true");
    } else if (tls.equals("tls")) {
      properties.put("mail.smtp.ssl.enable", "true");
      properties.put("mail.smtp.ssl.checkserveridentity", "true");
    }
    Session session =
        user.isPresent()
            ? Session.getInstance(
                properties,
                new Authenticator() {
                  @Override
                  protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user.get(), password.get());
                  }
                })
            : Session.getInstance(properties);
    return new EmailNotifier(session, from, to, host + ":" + port + " (" + tls + ")", mask);
  }

  private static InternetAddress address(Settings settings, String key, String text) {
    try {
      InternetAddress address = new InternetAddress(text.trim(), true);
      return address;
    } catch (AddressException e) {
      throw settings.error(key, "'" + text.trim() + "' is not an email address: " + e.getMessage());
    }
  }

  /**
   * Mail without TLS goes only to this machine or a private network: an address of another kind is
   * refused; a name is taken on trust, with a warning.
   */
  private static void checkUnencrypted(Settings settings, String host) {
    boolean literal = host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?");
    if (!literal) {
      LOG.warn(
          "{}: smtp.tls is none: mail to {} is not encrypted; use it only for a relay on this"
              + " machine or a private network",
          settings.fileName(),
          host);
      return;
    }
    try {
      InetAddress address = InetAddress.getByName(host.replace("[", "").replace("]", ""));
      if (!(address.isLoopbackAddress() || address.isSiteLocalAddress())) {
        throw settings.error(
            "smtp.tls",
            "none sends mail (and the password) unencrypted: only for a relay on this machine or"
                + " a private network, and "
                + host
                + " is neither; use starttls or tls");
      }
    } catch (UnknownHostException e) {
      throw settings.error("smtp.host", "'" + host + "' is not an address");
    }
  }

  @Override
  public String describe() {
    return "email to " + to.size() + " recipient(s) via " + server;
  }

  @Override
  public void runFinished(RunReport report) {
    send(RunMessage.of(report));
  }

  /**
   * Sends the message, trying again on failure.
   *
   * @throws NotificationException when no attempt succeeded
   */
  void send(RunMessage message) {
    MessagingException last = null;
    int attempts = 0;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      attempts = attempt;
      try {
        MimeMessage mime = mime(message);
        java.util.concurrent.Future<Boolean> sending =
            SENDING.submit(
                () -> {
                  Transport.send(mime);
                  return true;
                });
        if (!finished(sending)) {
          throw new NotificationException(
              describe()
                  + ": not sent after "
                  + attempts
                  + " attempt(s): no answer before the service stopped; gave up: the service is"
                  + " stopping",
              null);
        }
        return;
      } catch (MessagingException e) {
        last = e;
        // A refused login or refused recipients will be refused again: not worth a retry.
        if (e instanceof jakarta.mail.AuthenticationFailedException
            || e instanceof jakarta.mail.SendFailedException) {
          break;
        }
        if (attempt < ATTEMPTS) {
          LOG.info(
              "{}: {}; trying again in {} s",
              describe(),
              mask.apply(String.valueOf(e.getMessage())),
              attempt);
          try {
            if (stop.pause(java.time.Duration.ofSeconds(attempt))) {
              break;
            }
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
    throw new NotificationException(
        describe()
            + ": not sent after "
            + attempts
            + " attempt(s): "
            + mask.apply(String.valueOf(last == null ? "interrupted" : last.getMessage())),
        last);
  }

  /**
   * Waits for an attempt; false when the service is stopping first (the attempt is abandoned).
   *
   * @throws MessagingException the attempt's failure
   */
  private boolean finished(java.util.concurrent.Future<Boolean> sending) throws MessagingException {
    try {
      return stop.await(sending).isPresent();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof MessagingException failure) {
        throw failure;
      }
      throw new NotificationException(
          describe() + ": " + mask.apply(String.valueOf(e.getCause())), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void stopRetrying() {
    stop.stop();
  }

  private MimeMessage mime(RunMessage message) throws MessagingException {
    MimeMessage mime = new MimeMessage(session);
    mime.setFrom(from);
    mime.setRecipients(Message.RecipientType.TO, to.toArray(new InternetAddress[0]));
    mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
    MimeBodyPart text = new MimeBodyPart();
    text.setText(message.text(), StandardCharsets.UTF_8.name(), "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(message.html(), StandardCharsets.UTF_8.name(), "html");
    MimeMultipart alternative = new MimeMultipart("alternative");
    alternative.addBodyPart(text);
    alternative.addBodyPart(html);
    mime.setContent(alternative);
    mime.setHeader("X-Bucketload-Pipeline", message.report().pipeline());
    mime.setHeader("X-Bucketload-Run", message.report().runId());
    return mime;
  }
}
