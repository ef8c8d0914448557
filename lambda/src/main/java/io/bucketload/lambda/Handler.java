package io.bucketload.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bucketload.aws.sqs.ObjectEvent;
import io.bucketload.aws.sqs.S3Events;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.trigger.Delivery;
import io.bucketload.core.trigger.TriggeredRuns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda handler ({@code io.bucketload.lambda.Handler::handleRequest}). Takes S3 event
 * notifications (an S3 trigger), EventBridge "Object Created" events, and SQS events whose messages
 * carry either. Each message (or direct event) is a {@link Delivery} run by {@link TriggeredRuns},
 * the same rule as {@code bucketload serve}: files whose outcome is final (loaded, already loaded,
 * failed on their data) are done; a system failure, an incomplete file set or a file another worker
 * is loading is released. For SQS a released message is named in the partial batch failure response
 * ({@code batchItemFailures}) so that only it is delivered again; for S3 and EventBridge a release
 * fails the invocation, so that Lambda retries it. The pipeline, target connections and clients are
 * set up once per container and reused while it stays warm.
 */
public final class Handler implements RequestStreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Handler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> environment;
  private TriggeredRuns runs;

  /** The handler Lambda creates, reading the function's environment. */
  public Handler() {
    this(System.getenv());
  }

  /** A handler reading the pipeline as {@code environment} says. */
  public Handler(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** The pipeline, set up once per container. */
  private synchronized TriggeredRuns runs() {
    if (runs == null) {
      PipelineSpec spec = PipelineSetup.read(PipelineLocation.resolve(environment));
      Pipeline pipeline = Pipeline.open(spec, LoadListener.NONE);
      runs = new TriggeredRuns(pipeline, TriggeredRuns.DEFAULT_BACKOFF);
      LOG.info(
          "pipeline {} from {} into {}",
          spec.name(),
          pipeline.source().describe(),
          pipeline.target().describe());
    }
    return runs;
  }

  /** A message or event of this invocation; a release is answered when the invocation ends. */
  private static final class EventDelivery implements Delivery {
    private final String id;
    private final List<String> files;
    private final int attempt;
    private final boolean every;
    private boolean released;

    EventDelivery(String id, List<ObjectEvent> events, int attempt) {
      this(id, events, attempt, false);
    }

    /**
     * @param every whether the delivery asks for every file of the source (a scheduled event)
     */
    EventDelivery(String id, List<ObjectEvent> events, int attempt, boolean every) {
      this.id = id;
      this.files = events.stream().map(ObjectEvent::uri).toList();
      this.attempt = attempt;
      this.every = every;
    }

    @Override
    public boolean allFiles() {
      return every;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String describe() {
      return "S3 event (Lambda, " + id + ")";
    }

    @Override
    public List<String> files() {
      return files;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public void acknowledge() {
      released = false;
    }

    @Override
    public Optional<Duration> release(Duration delay) {
      released = true;
      return Optional.empty();
    }
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode event = JSON.readTree(input);
    JsonNode records = event.path("Records");
    boolean sqs =
        records.isArray()
            && records.size() > 0
            && "aws:sqs".equals(records.get(0).path("eventSource").asText());
    ObjectNode answer = sqs ? sqsEvent(records) : objectEvent(event);
    JSON.writeValue(output, answer);
  }

  private ObjectNode sqsEvent(JsonNode records) {
    TriggeredRuns pipeline = runs();
    ArrayNode failures = JSON.createArrayNode();
    for (JsonNode record : records) {
      String messageId = record.path("messageId").asText();
      List<ObjectEvent> events;
      try {
        events = S3Events.parse(record.path("body").asText());
      } catch (IllegalArgumentException e) {
        LOG.warn("message {} is not an event, dropped: {}", messageId, e.getMessage());
        continue;
      }
      int attempt = record.path("attributes").path("ApproximateReceiveCount").asInt(1);
      EventDelivery delivery = new EventDelivery(messageId, events, Math.max(1, attempt));
      pipeline.handle(delivery).report().ifPresent(Handler::log);
      if (delivery.released) {
        failures.addObject().put("itemIdentifier", messageId);
      }
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.set("batchItemFailures", failures);
    return answer;
  }

  private ObjectNode objectEvent(JsonNode event) {
    // An EventBridge schedule (a schedule trigger's rule) runs the pipeline over every file.
    boolean scheduled =
        "Scheduled Event".equals(event.path("detail-type").asText())
            && "aws.events".equals(event.path("source").asText());
    EventDelivery delivery =
        new EventDelivery(
            event.path("id").asText("event"),
            scheduled ? List.of() : S3Events.parse(event),
            1,
            scheduled);
    TriggeredRuns.Handled handled = runs().handle(delivery);
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode files = answer.putArray("files");
    List<String> notLoaded = new ArrayList<>();
    Optional<RunReport> report = handled.report();
    report.ifPresent(Handler::log);
    for (FileReport file : report.map(RunReport::files).orElse(List.of())) {
      ObjectNode node = files.addObject();
      node.put("file", file.file());
      node.put("status", file.status().reportName());
      node.put("rows_loaded", file.rowsLoaded());
      node.put("rows_rejected", file.rowsRejected());
      file.error().or(file::note).ifPresent(text -> node.put("error", text));
      if (!file.outcome().isFinal()) {
        notLoaded.add(
            file.file()
                + " "
                + file.status().reportName()
                + file.error().or(file::note).map(e -> ": " + e).orElse(""));
      }
    }
    answer.put("ignored", handled.ignored());
    if (delivery.released) {
      throw new IllegalStateException(
          "not loaded, to be retried: "
              + (notLoaded.isEmpty()
                  ? "the source could not be read"
                  : String.join("; ", notLoaded)));
    }
    return answer;
  }

  private static void log(RunReport report) {
    for (FileReport file : report.files()) {
      LOG.info(
          "{} {}: {} rows read, {} loaded, {} rejected{}",
          file.status(),
          file.file(),
          file.rowsRead(),
          file.rowsLoaded(),
          file.rowsRejected(),
          file.error().or(file::note).map(text -> " - " + text).orElse(""));
    }
  }
}
