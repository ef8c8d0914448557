package io.bucketload.aws.sqs;

import io.bucketload.aws.AwsClients;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.TriggerSpec;
import io.bucketload.core.trigger.Delivery;
import io.bucketload.core.trigger.Trigger;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A queue of S3 event notifications as a {@link Trigger} ({@code trigger: {sqs: QUEUE_URL}}): each
 * message is a delivery of the objects its events name (S3 notifications, directly or through SNS,
 * and EventBridge "Object Created" events). Acknowledging deletes the message; releasing makes it
 * visible again after the backoff, and after the redrive policy's receive count the queue moves it
 * to its dead-letter queue. A message that is not an event is deleted with a warning.
 *
 * <p>While a message is in hand (waiting for a load slot, or loading), its visibility timeout is
 * extended every third of the queue's timeout, so that a slow load is never redelivered to another
 * worker mid-way; a worker that dies stops extending and the message comes back after one timeout.
 * Not thread-safe: run one per thread, any number per queue.
 */
public final class SqsTrigger implements Trigger {
  private static final long MAX_VISIBILITY_SECONDS = 43_200;
  private static final Logger LOG = LoggerFactory.getLogger(SqsTrigger.class);
  static final Set<String> KEYS = TriggerSpec.keysOf("sqs");

  private final SqsClient client;
  private final String address;

  /** The queue's URL: the address, or found from its name on the first poll. */
  private volatile String queueUrl;

  private final int waitSeconds;
  private final int maxMessages;
  private final java.util.concurrent.ScheduledExecutorService heartbeat =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "bucketload-sqs-visibility");
            thread.setDaemon(true);
            return thread;
          });
  private int visibilitySeconds = -1;

  /**
   * Creates the trigger.
   *
   * @param client the SQS client; closed with the trigger
   * @param queueUrl the queue's URL, or its name (its URL is then found on the first poll)
   * @param waitSeconds how long a receive waits for messages (long polling), 0 to 20
   * @param maxMessages messages per receive, 1 to 10
   */
  public SqsTrigger(SqsClient client, String queueUrl, int waitSeconds, int maxMessages) {
    this.address = queueUrl;
    this.client = client;
    this.queueUrl = isUrl(queueUrl) ? queueUrl : null;
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
    if (!isUrl(spec.address()) && !spec.address().matches("[A-Za-z0-9_-]{1,80}(\\.fifo)?")) {
      throw new ConfigException(
          "trigger.sqs: expected the queue's URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)"
              + " or its name, found '"
              + spec.address()
              + "'");
    }
    int wait = (int) settings.number("wait_seconds", 20, 0, 20);
    int max = (int) settings.number("max_messages", 10, 1, 10);
    return new SqsTrigger(
        AwsClients.configure(SqsClient.builder(), settings).build(), spec.address(), wait, max);
  }

  @Override
  public String kind() {
    return "sqs";
  }

  @Override
  public String describe() {
    String url = queueUrl;
    return url != null ? url : address;
  }

  private static boolean isUrl(String address) {
    return address.startsWith("https://") || address.startsWith("http://");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each message that carries object events becomes a delivery naming their objects' URIs; a
   * message that is not an event is deleted with a warning.
   */
  @Override
  public List<Delivery> poll() throws IOException {
    List<Message> messages;
    try {
      if (queueUrl == null) {
        // A queue given by name, in the client's account and region.
        queueUrl = client.getQueueUrl(request -> request.queueName(address)).queueUrl();
      }
      if (visibilitySeconds < 0) {
        visibilitySeconds = queueVisibility();
      }
      messages =
          client
              .receiveMessage(
                  request ->
                      request
                          .queueUrl(queueUrl)
                          .waitTimeSeconds(waitSeconds)
                          .maxNumberOfMessages(maxMessages)
                          .messageSystemAttributeNames(
                              MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
              .messages();
    } catch (SdkException e) {
      throw new IOException("cannot receive from " + describe() + ": " + e.getMessage(), e);
    }
    List<Delivery> deliveries = new ArrayList<>();
    for (Message message : messages) {
      List<ObjectEvent> events;
      try {
        events = S3Events.parse(message.body());
      } catch (IllegalArgumentException e) {
        LOG.warn("deleting message {}: {}", message.messageId(), e.getMessage());
        delete(message);
        continue;
      }
      deliveries.add(new SqsDelivery(message, events.stream().map(ObjectEvent::uri).toList()));
    }
    return deliveries;
  }

  /** The queue's visibility timeout in seconds, read once. */
  private int queueVisibility() {
    String value =
        client
            .getQueueAttributes(
                request ->
                    request
                        .queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
            .attributes()
            .get(QueueAttributeName.VISIBILITY_TIMEOUT);
    try {
      return value == null ? 30 : Math.max(1, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return 30;
    }
  }

  /** A message of object events. */
  private final class SqsDelivery implements Delivery {
    private final Message message;
    private final List<String> files;
    private final java.util.concurrent.ScheduledFuture<?> extension;
    private boolean settled;

    SqsDelivery(Message message, List<String> files) {
      this.message = message;
      this.files = List.copyOf(files);
      long period = Math.max(200, visibilitySeconds * 1000L / 3);
      this.extension =
          heartbeat.scheduleAtFixedRate(
              this::extend, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Keeps the message invisible for another visibility timeout while it is in hand. */
    private synchronized void extend() {
      if (!settled) {
        changeVisibility(
            visibilitySeconds,
            "kept invisible for " + visibilitySeconds + " s",
            "its visibility could not be extended; another worker may receive it (its loaded"
                + " files are then skipped)");
      }
    }

    /**
     * Makes the message visible again in {@code seconds}; a failure is logged only.
     *
     * @return whether the queue took the new visibility timeout
     */
    private boolean changeVisibility(int seconds, String done, String failed) {
      try {
        client.changeMessageVisibility(
            request ->
                request
                    .queueUrl(queueUrl)
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout(seconds));
        LOG.debug("message {} {}", message.messageId(), done);
        return true;
      } catch (SdkException e) {
        LOG.warn("message {}: {}: {}", message.messageId(), failed, e.getMessage());
        return false;
      }
    }

    /** Stops the extension; later settling is the caller's. */
    private synchronized void settle() {
      settled = true;
      extension.cancel(false);
    }

    @Override
    public String id() {
      return message.messageId();
    }

    @Override
    public String describe() {
      return "S3 event (SQS message " + message.messageId() + ")";
    }

    @Override
    public List<String> files() {
      return files;
    }

    @Override
    public int attempt() {
      String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
      try {
        return count == null ? 1 : Math.max(1, Integer.parseInt(count));
      } catch (NumberFormatException e) {
        return 1;
      }
    }

    @Override
    public void acknowledge() {
      settle();
      delete(message);
    }

    /**
     * {@inheritDoc} The message becomes visible again after {@code delay} (at most 12 hours, SQS's
     * limit); once the queue's redrive policy's receive count is reached it goes to its dead-letter
     * queue.
     */
    @Override
    public Optional<Duration> release(Duration delay) {
      settle();
      int seconds = (int) Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, delay.toSeconds()));
      boolean changed =
          changeVisibility(
              seconds,
              "released; visible again in " + seconds + " s",
              "could not be released early; it comes back after the queue's visibility timeout");
      return changed ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    }
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
    heartbeat.shutdownNow();
    client.close();
  }
}
