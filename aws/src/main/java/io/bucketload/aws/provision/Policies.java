package io.bucketload.aws.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** The resource policies {@code provision} sets, as JSON documents built with Jackson. */
final class Policies {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The statement id of the bucket's TLS-only rule. */
  static final String DENY_INSECURE = "DenyInsecureTransport";

  /** The statement id of the queue's rule letting the bucket send its events. */
  static final String ALLOW_BUCKET = "AllowBucketEvents";

  private Policies() {}

  /**
   * The bucket policy: every request without TLS is denied (a deny on all actions, the form AWS
   * recommends for {@code aws:SecureTransport}; it grants nothing).
   */
  static ObjectNode tlsOnly(String bucketArn) {
    ObjectNode statement = JSON.createObjectNode();
    statement.put("Sid", DENY_INSECURE);
    statement.put("Effect", "Deny");
    statement.put("Principal", "*");
    statement.put("Action", "s3:*");
    statement.putArray("Resource").add(bucketArn).add(bucketArn + "/*");
    statement.putObject("Condition").putObject("Bool").put("aws:SecureTransport", "false");
    return document(statement);
  }

  /** The queue policy: only the bucket's event notifications may send to the queue. */
  static ObjectNode bucketMaySend(String queueArn, String bucketArn) {
    ObjectNode statement = JSON.createObjectNode();
    statement.put("Sid", ALLOW_BUCKET);
    statement.put("Effect", "Allow");
    statement.putObject("Principal").put("Service", "s3.amazonaws.com");
    statement.put("Action", "sqs:SendMessage");
    statement.put("Resource", queueArn);
    statement.putObject("Condition").putObject("ArnEquals").put("aws:SourceArn", bucketArn);
    return document(statement);
  }

  /** The redrive policy of a queue whose failed messages go to {@code deadLetterArn}. */
  static String redrive(String deadLetterArn, int maxReceiveCount) {
    return JSON.createObjectNode()
        .put("deadLetterTargetArn", deadLetterArn)
        .put("maxReceiveCount", maxReceiveCount)
        .toString();
  }

  /** Whether a policy document has a statement with this id whose content equals the wanted one. */
  static boolean hasStatement(String document, ObjectNode wanted) {
    JsonNode want = wanted.get("Statement").get(0);
    try {
      for (JsonNode statement : JSON.readTree(document).path("Statement")) {
        if (normalized(statement).equals(normalized(want))) {
          return true;
        }
      }
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Whether two redrive policies name the same queue and count (numbers and text alike). */
  static boolean sameRedrive(String actual, String wanted) {
    try {
      JsonNode a = JSON.readTree(actual);
      JsonNode b = JSON.readTree(wanted);
      return a.path("deadLetterTargetArn").asText().equals(b.path("deadLetterTargetArn").asText())
          && a.path("maxReceiveCount").asText().equals(b.path("maxReceiveCount").asText());
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static ObjectNode document(ObjectNode statement) {
    ObjectNode document = JSON.createObjectNode();
    document.put("Version", "2012-10-17");
    ArrayNode statements = document.putArray("Statement");
    statements.add(statement);
    return document;
  }

  /** A statement with single-element lists as their element, as AWS may return them. */
  private static JsonNode normalized(JsonNode node) {
    if (node.isArray() && node.size() == 1) {
      return normalized(node.get(0));
    }
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        copy.set(field.getKey(), normalized(field.getValue()));
      }
      return copy;
    }
    return node;
  }
}
