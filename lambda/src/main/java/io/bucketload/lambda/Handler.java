package io.bucketload.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bucketload.aws.S3Source;
import io.bucketload.aws.sqs.EventLoads;
import io.bucketload.aws.sqs.ObjectEvent;
import io.bucketload.aws.sqs.S3Events;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.PipelineRunner;
import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda handler ({@code io.bucketload.lambda.Handler::handleRequest}). Takes S3 event
 * notifications (an S3 trigger), EventBridge "Object Created" events, and SQS events whose messages
 * carry either: for SQS it answers with the partial batch failure response ({@code
 * batchItemFailures}), naming the messages whose files failed or are being loaded elsewhere, so
 * that only those are delivered again; for S3 and EventBridge it fails the invocation when a file
 * did not load, so that Lambda retries it. The pipeline, target connections and runner are set up
 * once per container and reused while it stays warm.
 */
public final class Handler implements RequestStreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Handler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> environment;
  private Loaded loaded;

  /** The handler Lambda creates, reading the function's environment. */
  public Handler() {
    this(System.getenv());
  }

  /** A handler reading the pipeline as {@code environment} says. */
  public Handler(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** The pipeline, set up once. */
  private record Loaded(PipelineSpec spec, Target target, EventLoads loads) {}

  private synchronized Loaded loaded() {
    if (loaded == null) {
      PipelineSpec spec = PipelineSetup.read(PipelineLocation.resolve(environment));
      Source source = Sources.open(spec.source());
      if (!(source instanceof S3Source s3)) {
        throw new ConfigException(
            spec.file().getFileName()
                + ": the Lambda handler takes S3 events: source.path must"
                + " be s3://");
      }
      Target target = PipelineSetup.openTarget(spec);
      loaded =
          new Loaded(
              spec,
              target,
              new EventLoads(
                  s3, new PipelineRunner(spec, s3, target, LoadListener.NONE, Clock.systemUTC())));
      LOG.info("pipeline {} from {} into {}", spec.name(), s3.describe(), target.describe());
    }
    return loaded;
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

  private ObjectNode sqsEvent(JsonNode records) throws IOException {
    Loaded pipeline = loaded();
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
      EventLoads.Outcome outcome;
      try {
        outcome = pipeline.loads().load(events);
      } catch (IOException | RuntimeException e) {
        LOG.error("message {} failed: {}", messageId, e.getMessage(), e);
        failures.addObject().put("itemIdentifier", messageId);
        continue;
      }
      outcome.report().ifPresent(Handler::log);
      if (!outcome.done()) {
        failures.addObject().put("itemIdentifier", messageId);
      }
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.set("batchItemFailures", failures);
    return answer;
  }

  private ObjectNode objectEvent(JsonNode event) throws IOException {
    EventLoads.Outcome outcome = loaded().loads().load(S3Events.parse(event));
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode files = answer.putArray("files");
    List<String> notLoaded = new ArrayList<>();
    if (outcome.report().isPresent()) {
      RunReport report = outcome.report().get();
      log(report);
      for (FileReport file : report.files()) {
        ObjectNode node = files.addObject();
        node.put("file", file.file());
        node.put("status", file.status().name().toLowerCase(java.util.Locale.ROOT));
        node.put("rows_loaded", file.rowsLoaded());
        node.put("rows_rejected", file.rowsRejected());
        file.error().ifPresent(error -> node.put("error", error));
        if (!outcome.done()) {
          notLoaded.add(
              file.file() + " " + file.status() + file.error().map(e -> ": " + e).orElse(""));
        }
      }
    }
    answer.put("ignored", outcome.ignored());
    if (!outcome.done()) {
      throw new IllegalStateException("not loaded: " + String.join("; ", notLoaded));
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
          file.error().map(error -> " - " + error).orElse(""));
    }
  }
}
