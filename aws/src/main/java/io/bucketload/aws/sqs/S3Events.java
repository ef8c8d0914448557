package io.bucketload.aws.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the objects created from an event message: an S3 event notification ({@code Records[].s3},
 * keys URL-encoded with {@code +} for spaces), the same wrapped in an SNS notification, or an
 * EventBridge "Object Created" event. Other events (deletions, {@code s3:TestEvent}) name no
 * object.
 */
public final class S3Events {
  private static final ObjectMapper JSON = new ObjectMapper();

  private S3Events() {}

  /**
   * The objects created that a message names.
   *
   * @throws IllegalArgumentException when the message is not JSON, JSON of no event's shape (S3's
   *     {@code Records}, not empty, or test event, SNS's {@code Notification}, EventBridge's {@code
   *     detail-type}), or an event of an object created that does not name its bucket and key
   */
  public static List<ObjectEvent> parse(String message) {
    JsonNode root;
    try {
      root = JSON.readTree(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON event: " + e.getOriginalMessage(), e);
    }
    boolean event =
        root != null
            && root.isObject()
            && ((root.path("Records").isArray() && !root.path("Records").isEmpty())
                || root.has("detail-type")
                || root.has("Event")
                || "Notification".equals(root.path("Type").asText()));
    if (!event) {
      String shown = message.strip();
      throw new IllegalArgumentException(
          "JSON that is no S3, SNS or EventBridge event: "
              + (shown.length() <= 100 ? shown : shown.substring(0, 100) + "..."));
    }
    return parse(root);
  }

  /** The objects created that a parsed message names. */
  public static List<ObjectEvent> parse(JsonNode root) {
    List<ObjectEvent> events = new ArrayList<>();
    if (root == null || !root.isObject()) {
      return events;
    }
    if ("Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
      return parse(root.path("Message").asText());
    }
    if ("Object Created".equals(root.path("detail-type").asText())) {
      JsonNode detail = root.path("detail");
      String bucket = detail.path("bucket").path("name").asText("");
      String key = detail.path("object").path("key").asText("");
      events.add(new ObjectEvent(named(bucket, key, root), key));
      return events;
    }
    for (JsonNode record : root.path("Records")) {
      String name = record.path("eventName").asText("");
      if (!record.has("s3") || !name.startsWith("ObjectCreated")) {
        continue;
      }
      String bucket = record.path("s3").path("bucket").path("name").asText("");
      String key = record.path("s3").path("object").path("key").asText("");
      events.add(
          new ObjectEvent(
              named(bucket, key, record), URLDecoder.decode(key, StandardCharsets.UTF_8)));
    }
    return events;
  }

  /**
   * The bucket of an event of an object created that names its bucket and key.
   *
   * @throws IllegalArgumentException when it lacks either, saying so with the event
   */
  private static String named(String bucket, String key, JsonNode event) {
    if (bucket.isEmpty() || key.isEmpty()) {
      String shown = event.toString();
      throw new IllegalArgumentException(
          "an event of an object created without its "
              + (bucket.isEmpty() ? "bucket" : "object key")
              + ": "
              + (shown.length() <= 100 ? shown : shown.substring(0, 100) + "..."));
    }
    return bucket;
  }
}
