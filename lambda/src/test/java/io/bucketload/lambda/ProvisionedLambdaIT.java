package io.bucketload.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bucketload.aws.MotoServer;
import io.bucketload.aws.provision.PipelineResources;
import io.bucketload.aws.provision.Provisioner;
import io.bucketload.aws.provision.Teardown;
import io.bucketload.aws.provision.Uploader;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A provisioned pipeline consumed by the Lambda handler, on {@code moto_server}: the S3 event
 * messages the queue received after an upload are handed to the handler as Lambda's SQS event
 * source would, the file loads, and the same bytes uploaded again are skipped.
 */
class ProvisionedLambdaIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theQueuesBatchLoadsItsFileOnceThroughTheHandler() throws Exception {
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    String suffix = Long.toString(System.nanoTime(), 36);
    String endpoint = MotoServer.endpoint().toString();
    Path pipeline = dir.resolve("pipeline.yaml");
    Files.writeString(
        pipeline,
        """
        name: customers
        source: {path: "s3://landing-SUFFIX/customers/", match: "*.csv", endpoint: ENDPOINT, region: us-east-1}
        schema:
          key: [customer_id]
          columns:
            - {name: customer_id, type: string, required: true}
            - {name: age, type: int}
        target: {type: dynamodb, table: customers-SUFFIX, mode: upsert, endpoint: ENDPOINT, region: us-east-1, ledger_table: ledger-SUFFIX}
        trigger: {sqs: customers-SUFFIX, endpoint: ENDPOINT, region: us-east-1}
        """
            .replace("SUFFIX", suffix)
            .replace("ENDPOINT", endpoint));
    PipelineResources resources =
        PipelineResources.of(new PipelineSpecReader(Map.<String, String>of()::get).read(pipeline));
    new Provisioner(resources).provision(false);
    try (S3Client s3 = MotoServer.configure(S3Client.builder()).forcePathStyle(true).build();
        SqsClient sqs = MotoServer.configure(SqsClient.builder()).build();
        DynamoDbClient dynamoDb = MotoServer.configure(DynamoDbClient.builder()).build();
        Uploader uploader = new Uploader(resources)) {
      // moto_server speaks plain HTTP, which the TLS-only bucket policy refuses.
      s3.deleteBucketPolicy(r -> r.bucket("landing-" + suffix));
      String queueUrl = sqs.getQueueUrl(r -> r.queueName("customers-" + suffix)).queueUrl();
      Path file = Files.writeString(dir.resolve("new.csv"), "customer_id,age\nc1,30\nc2,41\n");
      Handler handler = new Handler(Map.of("BUCKETLOAD_PIPELINE", pipeline.toString()));

      uploader.upload(file);
      JsonNode first = invoke(handler, batch(sqs, queueUrl));
      assertThat(first.path("batchItemFailures")).isEmpty();
      assertThat(dynamoDb.scan(r -> r.tableName("customers-" + suffix).select("COUNT")).count())
          .isEqualTo(2);

      uploader.upload(file);
      JsonNode second = invoke(handler, batch(sqs, queueUrl));
      assertThat(second.path("batchItemFailures")).isEmpty();
      assertThat(
              dynamoDb
                  .query(
                      r ->
                          r.tableName("ledger-" + suffix)
                              .keyConditionExpression("pk = :pk")
                              .expressionAttributeValues(
                                  Map.of(
                                      ":pk",
                                      software.amazon.awssdk.services.dynamodb.model.AttributeValue
                                          .fromS("customers"))))
                  .items()
                  .stream()
                  .filter(item -> item.get("sk").s().startsWith("run#"))
                  .count())
          .as("one load recorded for the two uploads of the same bytes")
          .isEqualTo(1);
    }
    new Teardown(resources).teardown(true);
  }

  /** Receives the queue's messages (up to 30 s for the first) as Lambda's SQS event. */
  private static String batch(SqsClient sqs, String queueUrl) {
    String arn =
        sqs.getQueueAttributes(
                r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    List<Message> messages = new ArrayList<>();
    for (int polls = 0; polls < 6 && messages.isEmpty(); polls++) {
      messages.addAll(
          sqs.receiveMessage(
                  r ->
                      r.queueUrl(queueUrl)
                          .waitTimeSeconds(5)
                          .maxNumberOfMessages(10)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
              .messages());
    }
    assertThat(messages).as("the bucket's event on the queue").isNotEmpty();
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message message : messages) {
      ObjectNode record = records.addObject();
      record.put("messageId", message.messageId());
      record.put("receiptHandle", message.receiptHandle());
      record.put("body", message.body());
      ObjectNode attributes = record.putObject("attributes");
      message.attributesAsStrings().forEach(attributes::put);
      record.putObject("messageAttributes");
      record.put("md5OfBody", message.md5OfBody());
      record.put("eventSource", "aws:sqs");
      record.put("eventSourceARN", arn);
      record.put("awsRegion", "us-east-1");
      // What Lambda's event source mapping does with a batch that reports no failure.
      sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
    }
    return event.toString();
  }

  private static JsonNode invoke(Handler handler, String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return JSON.readTree(out.toByteArray());
  }
}
