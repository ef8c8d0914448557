package io.bucketload.aws.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketload.aws.MotoServer;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.notify.Notifier;
import io.bucketload.core.notify.Notifiers;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.FileStats;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.LoadCounts;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SNS notifications published to a topic of {@code moto_server}, read back from an SQS queue
 * subscribed to it, as seed 003's subscribers would.
 */
class SnsNotifierIT {
  @TempDir Path dir;

  @Test
  void aRunIsPublishedWithItsSubjectCountsAndFilterableAttributes() throws Exception {
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    try (SnsClient sns = MotoServer.configure(SnsClient.builder()).build();
        SqsClient sqs = MotoServer.configure(SqsClient.builder()).build()) {
      String topic = sns.createTopic(r -> r.name("etl-status-" + System.nanoTime())).topicArn();
      String queue = MotoServer.queueSubscribedTo(sns, sqs, topic);
      PipelineSpec spec =
          new PipelineSpecReader(Map.<String, String>of()::get)
              .read(
                  new StringReader(
                      """
                      name: covid-us
                      source: {path: landing}
                      notify:
                        - sns: {topic: "%s", endpoint: "%s"}
                      """
                          .formatted(topic, MotoServer.endpoint())),
                  dir.resolve("pipeline.yaml"),
                  dir);
      Notifier channel = Notifiers.open(spec).get(0);

      channel.runFinished(report());
      channel.close();

      List<Message> received = new ArrayList<>();
      for (int polls = 0; polls < 10 && received.isEmpty(); polls++) {
        received.addAll(sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1)).messages());
      }
      assertThat(received).hasSize(1);
      JsonNode envelope = new ObjectMapper().readTree(received.get(0).body());
      assertThat(envelope.get("Subject").asText()).isEqualTo("[bucketload] covid-us: 1 loaded");
      assertThat(envelope.get("Message").asText())
          .contains("Started 2026-12-02T06:00:00Z by schedule rate(5 days)")
          .contains(
              "14 rows read, 14 loaded, 0 rejected; 12 inserted, 0 updated, 2 unchanged, 3 deleted");
      assertThat(envelope.get("MessageAttributes").get("status").get("Value").asText())
          .isEqualTo("success");
      assertThat(envelope.get("MessageAttributes").get("pipeline").get("Value").asText())
          .isEqualTo("covid-us");
    }
  }

  private static RunReport report() {
    return new RunReport(
        "covid-us",
        "20261202T060000Z-abc123",
        Instant.parse("2026-12-02T06:00:00Z"),
        List.of(
            new FileReport(
                "us.csv",
                Optional.of("etag:1"),
                new FileOutcome.Loaded(LoadCounts.exact(14, 12, 0, 2, 3), List.of()),
                new FileStats(14, 0, 400, 50, Optional.empty()),
                List.of())),
        60,
        List.of(),
        "schedule rate(5 days)");
  }

  @Test
  void aTopicThatIsNotAnArnIsAConfigurationErrorWithItsLine() {
    PipelineSpec spec =
        new PipelineSpecReader(Map.<String, String>of()::get)
            .read(
                new StringReader(
                    "name: p\nsource: {path: landing}\nnotify:\n  - sns: {topic: etl-status}\n"),
                dir.resolve("pipeline.yaml"),
                dir);

    assertThatThrownBy(() -> Notifiers.check(spec))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pipeline.yaml line 4: notify[0].sns.topic: expected a topic ARN");
  }

  @Test
  void aSubjectIsMadeToFitSns() {
    assertThat(SnsNotifier.subject("[bucketload] café: 1 loaded\n"))
        .isEqualTo("[bucketload] caf?: 1 loaded?");
    assertThat(SnsNotifier.subject("x".repeat(150))).hasSize(99);
  }
}
