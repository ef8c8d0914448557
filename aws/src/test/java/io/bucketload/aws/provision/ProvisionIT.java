package io.bucketload.aws.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.aws.MotoServer;
import io.bucketload.aws.provision.Change.Action;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * provision, teardown and upload against {@code moto_server}: each resource checked through the
 * SDK, a second provision that changes nothing, drift put back, conflicts that change nothing, and
 * teardown with and without its data on a versioned bucket.
 */
class ProvisionIT {
  @TempDir Path dir;

  private static S3Client s3;
  private static SqsClient sqs;
  private static DynamoDbClient dynamoDb;
  private static SnsClient sns;

  @BeforeAll
  static void clients() {
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    s3 = MotoServer.configure(S3Client.builder()).forcePathStyle(true).build();
    sqs = MotoServer.configure(SqsClient.builder()).build();
    dynamoDb = MotoServer.configure(DynamoDbClient.builder()).build();
    sns = MotoServer.configure(SnsClient.builder()).build();
  }

  private PipelineSpec pipeline(String name) throws Exception {
    String endpoint = MotoServer.endpoint().toString();
    String yaml =
        """
        name: NAME
        source:
          path: s3://NAME-landing/incoming/
          match: "orders_*.csv"
          endpoint: ENDPOINT
          path_style: true
          region: us-east-1
        schema:
          key: [order_id]
          columns:
            - {name: order_id, type: long}
            - {name: customer, type: string}
        target: {type: dynamodb, table: NAME-orders, mode: upsert, endpoint: ENDPOINT, region: us-east-1, ledger_table: NAME-ledger}
        trigger:
          sqs: NAME-events
          endpoint: ENDPOINT
          region: us-east-1
        notify:
          - sns: {topic: "arn:aws:sns:us-east-1:123456789012:NAME-status", endpoint: ENDPOINT}
        """
            .replace("NAME", name)
            .replace("ENDPOINT", endpoint);
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return new PipelineSpecReader(Map.<String, String>of()::get)
        .read(new StringReader(yaml), file, dir);
  }

  /** A pipeline of the shared bucket and ledger, under its own prefix. */
  private PipelineSpec sharing(String name, String bucket, String prefix, String ledger)
      throws Exception {
    String yaml =
        """
        name: NAME
        source: {path: "s3://BUCKET/PREFIX", endpoint: ENDPOINT, path_style: true, region: us-east-1}
        schema: {key: [id], columns: [{name: id, type: string}]}
        target: {type: dynamodb, table: NAME-items, mode: upsert, endpoint: ENDPOINT, region: us-east-1, ledger_table: LEDGER}
        trigger: {sqs: NAME-events, endpoint: ENDPOINT, region: us-east-1}
        """
            .replace("NAME", name)
            .replace("BUCKET", bucket)
            .replace("PREFIX", prefix)
            .replace("LEDGER", ledger)
            .replace("ENDPOINT", MotoServer.endpoint().toString());
    return new PipelineSpecReader(Map.<String, String>of()::get)
        .read(new StringReader(yaml), dir.resolve(name + ".yaml"), dir);
  }

  @Test
  void teardownOfOnePipelineLeavesWhatAnotherSharesWithIt() throws Exception {
    String bucket = unique("shared");
    String ledger = bucket + "-ledger";
    PipelineResources orders =
        PipelineResources.of(sharing("orders-" + bucket, bucket, "orders/", ledger));
    PipelineResources returns =
        PipelineResources.of(sharing("returns-" + bucket, bucket, "returns/", ledger));
    new Provisioner(orders).provision(false);
    Map<String, Action> second = actions(new Provisioner(returns).provision(false));
    assertThat(second)
        .containsEntry("bucket " + bucket, Action.UNCHANGED)
        .containsEntry("notification " + bucket + "/bucketload-returns-" + bucket, Action.CREATED)
        .containsEntry("table " + ledger, Action.UNCHANGED);
    allowPlainHttp(bucket);
    s3.putObject(r -> r.bucket(bucket).key("orders/a.csv"), RequestBody.fromString("id\n1\n"));
    s3.putObject(r -> r.bucket(bucket).key("returns/b.csv"), RequestBody.fromString("id\n2\n"));
    for (String pipeline : List.of("orders-" + bucket, "returns-" + bucket)) {
      dynamoDb.putItem(
          r ->
              r.tableName(ledger)
                  .item(
                      Map.of(
                          "pk",
                          software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                              pipeline),
                          "sk",
                          software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                              "latest#x"))));
    }

    Map<String, Action> firstGone = actions(new Teardown(orders).teardown(true));
    assertThat(firstGone)
        .containsEntry("bucket " + bucket, Action.KEPT)
        .containsEntry("ledger entries " + ledger, Action.DELETED);
    assertThat(s3.listObjectsV2(r -> r.bucket(bucket)).contents())
        .extracting(o -> o.key())
        .containsExactly("returns/b.csv");
    assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).queueConfigurations())
        .extracting(QueueConfiguration::id)
        .containsExactly("bucketload-returns-" + bucket);
    assertThat(dynamoDb.scan(r -> r.tableName(ledger)).items())
        .extracting(item -> item.get("pk").s())
        .containsExactly("returns-" + bucket);

    Map<String, Action> lastGone = actions(new Teardown(returns).teardown(true));
    assertThat(lastGone)
        .containsEntry("bucket " + bucket, Action.KEPT)
        .containsEntry("table " + ledger, Action.DELETED);
    assertThat(dynamoDb.listTables().tableNames()).doesNotContain(ledger);
  }

  @Test
  void objectsTheBucketWillNotDeleteAreNamedAndWhatWasRemovedBeforeIsTold() throws Exception {
    String bucket = unique("locked");
    PipelineResources orders =
        PipelineResources.of(sharing("orders-" + bucket, bucket, "orders/", bucket + "-ledger"));
    new Provisioner(orders).provision(false);
    allowPlainHttp(bucket);
    s3.putObject(r -> r.bucket(bucket).key("orders/a.csv"), RequestBody.fromString("id\n1\n"));
    // Provisioned again: the TLS-only policy refuses this plain-HTTP client's deletes.
    new Provisioner(orders).provision(false);
    List<Change> told = new ArrayList<>();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Teardown(orders).teardown(true, told::add))
        .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class)
        .hasMessageContaining("1 object version(s) of bucket " + bucket + " could not be deleted")
        .hasMessageContaining("e.g. orders/a.csv");
    assertThat(told)
        .extracting(change -> change.kind() + " " + change.action())
        .contains("queue " + Action.DELETED, "dead-letter queue " + Action.DELETED);
  }

  private static String unique(String stem) {
    return stem + "-" + Long.toString(System.nanoTime(), 36);
  }

  private static Map<String, Action> actions(List<Change> changes) {
    Map<String, Action> actions = new java.util.LinkedHashMap<>();
    changes.forEach(change -> actions.put(change.kind() + " " + change.name(), change.action()));
    return actions;
  }

  @Test
  void provisionMakesEveryResourceOnceAndTeardownRemovesWhatItMade() throws Exception {
    String name = unique("shop");
    PipelineResources resources = PipelineResources.of(pipeline(name));
    Provisioner provisioner = new Provisioner(resources);

    List<Change> planned = provisioner.provision(true);
    assertThat(planned).extracting(Change::action).containsOnly(Action.WOULD_CREATE);
    assertThat(planned)
        .extracting(Change::kind)
        .containsExactly(
            "bucket", "dead-letter queue", "queue", "notification", "table", "table", "topic");
    assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(name + "-landing"));

    List<Change> made = provisioner.provision(false);
    assertThat(made).extracting(Change::action).containsOnly(Action.CREATED);

    String bucket = name + "-landing";
    assertThat(s3.getBucketVersioning(r -> r.bucket(bucket)).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    assertThat(
            s3.getBucketEncryption(r -> r.bucket(bucket))
                .serverSideEncryptionConfiguration()
                .rules()
                .get(0)
                .applyServerSideEncryptionByDefault()
                .sseAlgorithmAsString())
        .isEqualTo("AES256");
    var block = s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
    assertThat(
            List.of(
                block.blockPublicAcls(),
                block.ignorePublicAcls(),
                block.blockPublicPolicy(),
                block.restrictPublicBuckets()))
        .containsOnly(true);
    assertThat(s3.getBucketPolicy(r -> r.bucket(bucket)).policy())
        .contains("DenyInsecureTransport")
        .contains("aws:SecureTransport");
    QueueConfiguration notification =
        s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).queueConfigurations().get(0);
    assertThat(notification.id()).isEqualTo("bucketload-" + name);
    assertThat(notification.events()).containsExactly(Event.S3_OBJECT_CREATED);
    assertThat(notification.queueArn()).endsWith(":" + name + "-events");
    assertThat(notification.filter().key().filterRules())
        .extracting(rule -> rule.nameAsString().toLowerCase() + "=" + rule.value())
        .containsExactlyInAnyOrder("prefix=incoming/orders_", "suffix=.csv");
    String queueUrl = sqs.getQueueUrl(r -> r.queueName(name + "-events")).queueUrl();
    Map<QueueAttributeName, String> queue =
        sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL))
            .attributes();
    var redrive =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(queue.get(QueueAttributeName.REDRIVE_POLICY));
    assertThat(redrive.get("deadLetterTargetArn").asText()).endsWith(":" + name + "-events-dlq");
    assertThat(redrive.get("maxReceiveCount").asText()).isEqualTo("5");
    assertThat(queue.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("300");
    assertThat(queue.get(QueueAttributeName.POLICY))
        .contains("s3.amazonaws.com")
        .contains("arn:aws:s3:::" + bucket);
    var table = dynamoDb.describeTable(r -> r.tableName(name + "-orders")).table();
    assertThat(table.keySchema().get(0).attributeName()).isEqualTo("order_id");
    assertThat(table.keySchema().get(0).keyType()).isEqualTo(KeyType.HASH);
    assertThat(table.attributeDefinitions().get(0).attributeType())
        .isEqualTo(ScalarAttributeType.N);
    assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    assertThat(dynamoDb.describeTable(r -> r.tableName(name + "-ledger")).table().keySchema())
        .extracting(k -> k.attributeName())
        .containsExactly("pk", "sk");
    assertThat(sns.listTopics().topics())
        .anyMatch(t -> t.topicArn().endsWith(":" + name + "-status"));

    // again: nothing to change
    assertThat(provisioner.provision(false))
        .extracting(Change::action)
        .containsOnly(Action.UNCHANGED);

    // drift is put back
    s3.putBucketVersioning(
        r ->
            r.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    Map<String, Action> fixed = actions(provisioner.provision(false));
    assertThat(fixed).containsEntry("bucket " + bucket, Action.UPDATED);
    assertThat(s3.getBucketVersioning(r -> r.bucket(bucket)).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);

    // the TLS-only policy holds: moto_server speaks plain HTTP, and refuses a write
    assertThatThrownBy(
            () ->
                s3.putObject(
                    r -> r.bucket(bucket).key("incoming/orders_1.csv"),
                    RequestBody.fromString("a")))
        .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class)
        .hasMessageContaining("403");
    allowPlainHttp(bucket);

    // teardown keeps the data
    s3.putObject(r -> r.bucket(bucket).key("incoming/orders_1.csv"), RequestBody.fromString("a"));
    s3.putObject(r -> r.bucket(bucket).key("incoming/orders_1.csv"), RequestBody.fromString("b"));
    s3.deleteObject(r -> r.bucket(bucket).key("incoming/orders_1.csv"));
    Map<String, Action> kept = actions(new Teardown(resources).teardown(false));
    assertThat(kept)
        .containsEntry("notification " + bucket + "/bucketload-" + name, Action.DELETED)
        .containsEntry("queue " + name + "-events", Action.DELETED)
        .containsEntry("dead-letter queue " + name + "-events-dlq", Action.DELETED)
        .containsEntry("bucket " + bucket, Action.KEPT)
        .containsEntry("table " + name + "-orders", Action.KEPT);
    assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).queueConfigurations())
        .isEmpty();
    assertThat(sqs.listQueues(r -> r.queueNamePrefix(name)).queueUrls()).isEmpty();
    assertThat(dynamoDb.listTables().tableNames()).contains(name + "-orders");

    // and with --delete-data, every version and delete marker goes, then the bucket and tables
    Map<String, Action> gone = actions(new Teardown(resources).teardown(true));
    assertThat(gone)
        .containsEntry("bucket " + bucket, Action.DELETED)
        .containsEntry("table " + name + "-orders", Action.DELETED)
        .containsEntry("table " + name + "-ledger", Action.DELETED);
    assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
    assertThat(dynamoDb.listTables().tableNames())
        .doesNotContain(name + "-orders", name + "-ledger");

    // once gone, a teardown that keeps data says there is none to keep
    assertThat(actions(new Teardown(resources).teardown(false)))
        .containsEntry("bucket " + bucket, Action.ABSENT)
        .containsEntry("table " + name + "-orders", Action.ABSENT);
  }

  /**
   * Removes the TLS-only bucket policy: the stand-in speaks plain HTTP only (with AWS, the SDK's
   * HTTPS requests pass it).
   */
  static void allowPlainHttp(String bucket) {
    s3.deleteBucketPolicy(r -> r.bucket(bucket));
  }

  @Test
  void resourcesThatDoNotFitAreConflictsAndNothingIsChanged() throws Exception {
    String name = unique("clash");
    dynamoDb.createTable(
        r ->
            r.tableName(name + "-orders")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(
                    software.amazon.awssdk.services.dynamodb.model.KeySchemaElement.builder()
                        .attributeName("id")
                        .keyType(KeyType.HASH)
                        .build())
                .attributeDefinitions(
                    software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder()
                        .attributeName("id")
                        .attributeType(ScalarAttributeType.S)
                        .build()));
    s3.createBucket(r -> r.bucket(name + "-landing"));
    String other = sqs.createQueue(r -> r.queueName(name + "-other")).queueUrl();
    String otherArn =
        sqs.getQueueAttributes(r -> r.queueUrl(other).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    s3.putBucketNotificationConfiguration(
        r ->
            r.bucket(name + "-landing")
                .notificationConfiguration(
                    c ->
                        c.queueConfigurations(
                            QueueConfiguration.builder()
                                .id("someone-else")
                                .queueArn(otherArn)
                                .events(Event.S3_OBJECT_CREATED)
                                .filter(
                                    f ->
                                        f.key(
                                            k ->
                                                k.filterRules(
                                                    software.amazon.awssdk.services.s3.model
                                                        .FilterRule.builder()
                                                        .name("prefix")
                                                        .value("incoming/")
                                                        .build())))
                                .build())));

    assertThatThrownBy(() -> new Provisioner(PipelineResources.of(pipeline(name))).provision(false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nothing was changed")
        .hasMessageContaining(
            "table " + name + "-orders exists with the key id (S), the pipeline's is order_id (N)")
        .hasMessageContaining("already sends object events under 'incoming/'")
        .hasMessageContaining("notification 'someone-else'");
    assertThat(sqs.listQueues(r -> r.queueNamePrefix(name + "-events")).queueUrls()).isEmpty();
    assertThat(dynamoDb.listTables().tableNames()).doesNotContain(name + "-ledger");

    // a bucket provision did not make is used as it is, and never removed
    Map<String, Action> kept =
        actions(new Teardown(PipelineResources.of(pipeline(name))).teardown(true));
    assertThat(kept)
        .containsEntry("bucket " + name + "-landing", Action.KEPT)
        .containsEntry("table " + name + "-orders", Action.KEPT);
  }

  @Test
  void uploadPutsFilesUnderThePrefixWithAChecksumInPartsWhenLarge() throws Exception {
    String name = unique("up");
    PipelineResources resources = PipelineResources.of(pipeline(name));
    new Provisioner(resources).provision(false);
    allowPlainHttp(name + "-landing");
    Path small = Files.writeString(dir.resolve("orders_1.csv"), "order_id,customer\n1,ann\n");
    Path large = dir.resolve("orders_2.csv");
    byte[] line =
        "2,a customer with a rather long name to fill the file quickly\n"
            .getBytes(StandardCharsets.UTF_8);
    try (var out = Files.newOutputStream(large)) {
      out.write("order_id,customer\n".getBytes(StandardCharsets.UTF_8));
      for (long written = 0; written < 11L * 1024 * 1024; written += line.length) {
        out.write(line);
      }
    }
    try (Uploader uploader = new Uploader(resources, 5 * 1024 * 1024)) {
      Uploader.Uploaded one = uploader.upload(small);
      Uploader.Uploaded parts = uploader.upload(large);
      assertThat(one.uri()).isEqualTo("s3://" + name + "-landing/incoming/orders_1.csv");
      assertThat(one.parts()).isEqualTo(1);
      assertThat(parts.parts()).isEqualTo(3);
    }
    var head =
        s3.headObject(
            r ->
                r.bucket(name + "-landing")
                    .key("incoming/orders_1.csv")
                    .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED));
    assertThat(head.checksumSHA256())
        .isEqualTo(
            java.util.Base64.getEncoder()
                .encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(small))));
    assertThat(
            s3.headObject(r -> r.bucket(name + "-landing").key("incoming/orders_2.csv"))
                .contentLength())
        .isEqualTo(Files.size(large));
    try (Uploader uploader = new Uploader(resources)) {
      Path other = Files.writeString(dir.resolve("customers.csv"), "id\n1\n");
      assertThatThrownBy(() -> uploader.upload(other))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("does not match source.match 'orders_*.csv'");
    }
    assertThat(
            new String(
                s3.getObjectAsBytes(r -> r.bucket(name + "-landing").key("incoming/orders_1.csv"))
                    .asByteArray(),
                StandardCharsets.UTF_8))
        .isEqualTo("order_id,customer\n1,ann\n");
    new Teardown(resources).teardown(true);
  }
}
