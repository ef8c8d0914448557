package io.bucketload.aws.sns;

import io.bucketload.aws.AwsClients;
import io.bucketload.core.notify.NotificationException;
import io.bucketload.core.notify.Notifier;
import io.bucketload.core.notify.RunMessage;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.NotifyOn;
import io.bucketload.core.spec.NotifySpec;
import io.bucketload.core.spec.Settings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * {@code notify: [{sns: {topic: "arn:aws:sns:REGION:ACCOUNT:NAME"}}]}: publishes each run to an SNS
 * topic, with the {@link RunMessage} subject (made to fit SNS: printable ASCII, under 100
 * characters) and text, and message attributes {@code pipeline}, {@code status} ({@code failure},
 * {@code rejects}, {@code success} or {@code other}) and {@code run_id}, so that subscribers can
 * filter. Credentials come from the AWS default chain; the SDK retries throttling and server
 * errors. Thread-safe.
 */
public final class SnsNotifier implements Notifier {
  /** The channel's keys. */
  static final Set<String> KEYS = Set.of("topic", "region", "endpoint");

  private static final Pattern TOPIC =
      Pattern.compile("arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");

  /** SNS takes messages up to 256 KB; the text is cut well below it. */
  private static final int MAX_MESSAGE_BYTES = 200_000;

  private final SnsClient client;
  private final String topic;
  private final UnaryOperator<String> mask;

  SnsNotifier(SnsClient client, String topic, UnaryOperator<String> mask) {
    this.client = client;
    this.topic = topic;
    this.mask = mask;
  }

  /** Checks the channel's settings; returns the topic's ARN. */
  static String check(NotifySpec spec) {
    Settings settings = spec.settings();
    settings.allowOnly(KEYS);
    String topic =
        spec.required("topic", "sns: {topic: \"arn:aws:sns:us-east-1:123456789012:etl-status\"}");
    if (topic.endsWith(".fifo")) {
      throw settings.error(
          "topic", "a FIFO topic needs a message group for each message; notify a standard topic");
    }
    if (!TOPIC.matcher(topic).matches()) {
      throw settings.error(
          "topic",
          "expected a topic ARN such as arn:aws:sns:us-east-1:123456789012:etl-status, found '"
              + topic
              + "'");
    }
    return topic;
  }

  /** Opens the channel a pipeline declares. */
  static SnsNotifier open(NotifySpec spec, UnaryOperator<String> mask) {
    String topic = check(spec);
    Settings settings = spec.settings();
    if (settings.get("region").isEmpty()) {
      // The topic's own region, unless told otherwise.
      settings = settings.with("region", topic.split(":")[3]);
    }
    return new SnsNotifier(
        AwsClients.configure(SnsClient.builder(), settings).build(), topic, mask);
  }

  @Override
  public String describe() {
    return "SNS topic " + topic;
  }

  @Override
  public void runFinished(RunReport report) {
    RunMessage message = RunMessage.of(report);
    Set<NotifyOn> events = message.events();
    String status =
        events.contains(NotifyOn.FAILURE)
            ? "failure"
            : events.contains(NotifyOn.REJECTS)
                ? "rejects"
                : events.contains(NotifyOn.SUCCESS) ? "success" : "other";
    try {
      client.publish(
          request ->
              request
                  .topicArn(topic)
                  .subject(subject(message.subject()))
                  .message(fit(message.text()))
                  .messageAttributes(
                      Map.of(
                          "pipeline", text(report.pipeline()),
                          "status", text(status),
                          "run_id", text(report.runId()))));
    } catch (SdkException e) {
      throw new NotificationException(
          describe() + ": not published: " + mask.apply(String.valueOf(e.getMessage())), e);
    }
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  /** A subject SNS accepts: printable ASCII, no line breaks, fewer than 100 characters. */
  static String subject(String subject) {
    StringBuilder ascii = new StringBuilder();
    for (char c : subject.toCharArray()) {
      ascii.append(c == '…' ? '.' : c >= 0x20 && c < 0x7f ? c : '?');
    }
    String text = ascii.toString();
    return text.length() < 100 ? text : text.substring(0, 96) + "...";
  }

  private static String fit(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_MESSAGE_BYTES) {
      return text;
    }
    String cut = new String(bytes, 0, MAX_MESSAGE_BYTES, StandardCharsets.UTF_8);
    return cut.substring(0, cut.length() - 1) + "\n… (cut; the whole report is in the run's JSON)";
  }

  @Override
  public void close() {
    client.close();
  }
}
