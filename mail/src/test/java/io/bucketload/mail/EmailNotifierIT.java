package io.bucketload.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.notify.Notifier;
import io.bucketload.core.notify.Notifiers;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.FileStats;
import io.bucketload.core.run.RejectReason;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.LoadCounts;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Email notifications received by GreenMail, a real SMTP server on loopback. */
class EmailNotifierIT {
  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  private PipelineSpec spec(String channel) {
    return new PipelineSpecReader(Map.of("SMTP_PASSWORD", "s3cr3t-pw")::get)
        .read(
            new StringReader(
                """
                name: orders
                source: {path: landing}
                notify:
                """
                    + channel.indent(2)),
            dir.resolve("pipeline.yaml"),
            dir);
  }

  private static RunReport report() {
    FileReport loaded =
        new FileReport(
            "orders-<1>.csv",
            Optional.of("sha256:1"),
            new FileOutcome.Loaded(LoadCounts.exact(998, 990, 8, 0, 0), List.of()),
            new FileStats(
                1000,
                2,
                40_000,
                310,
                Optional.of("landing/rejected/orders-<1>.rejects.csv"),
                List.of(new RejectReason("amount", "not a decimal(10,2)", 2, 7))),
            List.of());
    FileReport failed =
        new FileReport(
            "customers.csv",
            Optional.of("sha256:2"),
            new FileOutcome.FailedOnData(
                "customers.csv line 1: missing column 'customer_id'", Optional.empty()),
            new FileStats(0, 0, 100, 5, Optional.empty()),
            List.of());
    return new RunReport(
        "orders",
        "20261202T010000Z-abc123",
        Instant.parse("2026-12-02T01:00:00Z"),
        List.of(loaded, failed),
        400,
        List.of(),
        "S3 event (SQS message m-1)");
  }

  @Test
  void aRunIsOneEmailWithATextAndAnHtmlPartAndASubjectThatReadsAtAGlance() throws Exception {
    PipelineSpec spec =
        spec(
            """
            - email:
                to: [data-team@example.com, ops@example.com]
                from: bucketload@example.com
                smtp: {host: 127.0.0.1, port: %d, tls: none, user: bucketload, password: "${SMTP_PASSWORD}"}
            """
                .formatted(MAIL.getSmtp().getPort()));
    MAIL.setUser("bucketload", "s3cr3t-pw");

    List<Notifier> channels = Notifiers.open(spec);
    channels.get(0).runFinished(report());

    MimeMessage[] received = MAIL.getReceivedMessages();
    assertThat(received).hasSize(2);
    MimeMessage mail = received[0];
    assertThat(mail.getSubject())
        .isEqualTo("[bucketload] orders: 1 loaded, 1 failed (missing column 'customer_id')");
    MimeMultipart parts = (MimeMultipart) mail.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    String text = (String) parts.getBodyPart(0).getContent();
    String html = (String) parts.getBodyPart(1).getContent();
    assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
    assertThat(text)
        .contains("Started 2026-12-02T01:00:00Z by S3 event (SQS message m-1)")
        .contains("1000 rows read, 998 loaded, 2 rejected; 990 inserted, 8 updated, 0 unchanged")
        .contains("(3,225 rows/s)")
        .contains("rejected: amount: not a decimal(10,2) (2 rows, first at line 7)")
        .contains("error: customers.csv line 1: missing column 'customer_id'");
    assertThat(html).contains("orders-&lt;1&gt;.csv").doesNotContain("orders-<1>.csv");
    assertThat(GreenMailUtil.getBody(mail)).doesNotContain("s3cr3t-pw");
  }

  @Test
  void anUnencryptedSessionToAPublicAddressIsRefused() {
    assertThatThrownBy(
            () ->
                Notifiers.check(
                    spec(
                        """
                        - email:
                            to: [a@example.com]
                            from: b@example.com
                            smtp: {host: 8.8.8.8, tls: none}
                        """)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pipeline.yaml line 7: notify[0].email.smtp.tls: none sends mail");
  }

  @Test
  void aServerThatIsDownFailsTheNotificationAfterItsAttempts() {
    PipelineSpec spec =
        spec(
            """
            - email:
                to: [a@example.com]
                from: b@example.com
                smtp: {host: 127.0.0.1, port: 1, tls: none, timeout: 2s}
            """);

    Notifier channel = Notifiers.open(spec).get(0);

    assertThatThrownBy(() -> channel.runFinished(report()))
        .hasMessageContaining(
            "email to 1 recipient(s) via 127.0.0.1:1 (none): not sent after 3 attempt(s)");
  }

  @Test
  void aStopEndsAnAttemptOnAServerThatDoesNotAnswer() throws Exception {
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      PipelineSpec spec =
          spec(
              """
              - email:
                  to: [a@example.com]
                  from: b@example.com
                  smtp: {host: 127.0.0.1, port: %d, tls: none, timeout: 60s}
              """
                  .formatted(silent.getLocalPort()));
      Notifier channel = Notifiers.open(spec).get(0);
      java.util.concurrent.CompletableFuture<Throwable> sent =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  channel.runFinished(report());
                  return null;
                } catch (RuntimeException e) {
                  return e;
                }
              });
      // The server takes the connection and says nothing, not even its greeting.
      try (java.net.Socket accepted = silent.accept()) {
        org.assertj.core.api.Assertions.assertThat(accepted.isConnected()).isTrue();
        channel.stopRetrying();
        Throwable failure = sent.get(10, java.util.concurrent.TimeUnit.SECONDS);
        org.assertj.core.api.Assertions.assertThat(failure)
            .hasMessageContaining(
                "not sent after 1 attempt(s): no answer before the service stopped; gave up: the"
                    + " service is stopping");
      }
    }
  }
}
