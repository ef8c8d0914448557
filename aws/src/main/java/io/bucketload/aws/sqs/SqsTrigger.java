package io.bucketload.aws.sqs;

import io.bucketload.aws.AwsClients;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.TriggerSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Consumes a queue of S3 event notifications ({@code trigger: {sqs: QUEUE_URL}}). A message is
 * deleted once the files it names are loaded or were already; a message whose file failed is left
 * for redelivery after the queue's visibility timeout, and for its dead-letter queue after the
 * redrive policy's receive count. A message that is not an event is deleted with a warning. Not
 * thread-safe: run one per thread, any number per queue.
 */
public final class SqsTrigger implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqsTrigger.class);
  static final Set<String> KEYS = Set.of("region", "endpoint", "wait_seconds", "max_messages");

  private final SqsClient client;
  private final String queueUrl;
  private final int waitSeconds;
  private final int maxMessages;

  /**
   * Creates the trigger.
   *
   * @param client the SQS client; closed with the trigger
   * @param queueUrl the queue
   * @param waitSeconds how long a receive waits for messages (long polling), 0 to 20
   * @param maxMessages messages per receive, 1 to 10
   */
  public SqsTrigger(SqsClient client, String queueUrl, int waitSeconds, int maxMessages) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.waitSeconds = waitSeconds;
    this.maxMessages = maxMessages;
  }

  /**
   * Opens the trigger a pipeline declares.
   *
   * @throws ConfigException naming a bad setting
   */
  public static SqsTrigger open(TriggerSpec spec) {
    Settings settings = spec.settings();
    settings.allowOnly(KEYS);
    if (!spec.address().startsWith("https://") && !spec.address().startsWith("http://")) {
      throw new ConfigException(
          "trigger.sqs: expected the queue's URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME),"
              + " found '"
              + spec.address()
              + "'");
    }
    int wait = (int) settings.number("wait_seconds", 20, 0, 20);
    int max = (int) settings.number("max_messages", 10, 1, 10);
    return new SqsTrigger(
        AwsClients.configure(SqsClient.builder(), settings).build(), spec.address(), wait, max);
  }

  /** What one poll did. */
  public record Poll(int received, int deleted, int left, List<RunReport> reports) {}

  /**
   * Receives up to one batch of messages and loads what they name.
   *
   * @param loads what loads the events' objects
   * @return what was received, deleted and left for redelivery
   * @throws IOException when the source cannot be read
   */
  public Poll pollOnce(EventLoads loads) throws IOException {
    List<Message> messages;
    try {
      messages =
          client
              .receiveMessage(
                  request ->
                      request
                          .queueUrl(queueUrl)
                          .waitTimeSeconds(waitSeconds)
                          .maxNumberOfMessages(maxMessages))
              .messages();
    } catch (SdkException e) {
      throw new IOException("cannot receive from " + queueUrl + ": " + e.getMessage(), e);
    }
    int deleted = 0;
    List<RunReport> reports = new ArrayList<>();
    for (Message message : messages) {
      List<ObjectEvent> events;
      try {
        events = S3Events.parse(message.body());
      } catch (IllegalArgumentException e) {
        LOG.warn("deleting message {}: {}", message.messageId(), e.getMessage());
        delete(message);
        deleted++;
        continue;
      }
      EventLoads.Outcome outcome = loads.load(events);
      outcome.report().ifPresent(reports::add);
      if (outcome.done()) {
        delete(message);
        deleted++;
      } else {
        LOG.info("message {} left for redelivery", message.messageId());
      }
    }
    return new Poll(messages.size(), deleted, messages.size() - deleted, reports);
  }

  /**
   * Deletes a handled message. A failure is only logged: the message comes back, and its files, now
   * in the ledger, are skipped.
   */
  private void delete(Message message) {
    try {
      client.deleteMessage(
          request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
    } catch (SdkException e) {
      LOG.warn(
          "message {} could not be deleted (did the load outlast the queue's visibility"
              + " timeout?); its redelivery will be skipped: {}",
          message.messageId(),
          e.getMessage());
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
