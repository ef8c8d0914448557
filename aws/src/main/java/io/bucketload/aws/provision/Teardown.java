package io.bucketload.aws.provision;

import io.bucketload.aws.provision.Change.Action;
import io.bucketload.aws.provision.PipelineResources.Bucket;
import io.bucketload.aws.provision.PipelineResources.Table;
import io.bucketload.aws.provision.PipelineResources.Topic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Removes what {@link Provisioner} made for a pipeline, in an order that leaves nothing dangling:
 * the bucket's notification, the queues (with their policy), the topics; with {@code deleteData},
 * also the bucket (every version and delete marker first) and the tables. A resource without the
 * pipeline's tag is never removed: it is reported as kept. Not thread-safe.
 */
public final class Teardown {
  private final PipelineResources resources;

  /** Tears down the given resources. */
  public Teardown(PipelineResources resources) {
    this.resources = resources;
  }

  /**
   * Removes the pipeline's resources.
   *
   * @param deleteData whether the bucket and the tables go too (their data with them)
   * @return what became of each resource, in order
   */
  public List<Change> teardown(boolean deleteData) {
    return teardown(deleteData, change -> {});
  }

  /**
   * Removes the pipeline's resources as {@link #teardown(boolean)} does, telling {@code done} of
   * each as it is removed or kept, so that what was done before a failure is known.
   */
  public List<Change> teardown(boolean deleteData, java.util.function.Consumer<Change> done) {
    List<Change> all = new ArrayList<>();
    java.util.function.Consumer<Change> changes =
        change -> {
          all.add(change);
          done.accept(change);
        };
    try (AwsClientSet clients = new AwsClientSet(resources)) {
      resources.bucket().ifPresent(bucket -> changes.accept(notification(clients.s3(), bucket)));
      resources
          .queue()
          .ifPresent(
              queue -> {
                changes.accept(queue(clients.sqs(), queue.name(), "queue"));
                changes.accept(queue(clients.sqs(), queue.deadLetterName(), "dead-letter queue"));
              });
      for (Topic topic : resources.topics()) {
        changes.accept(topic(clients.sns(topic), topic));
      }
      if (deleteData) {
        resources.bucket().ifPresent(bucket -> changes.accept(bucket(clients.s3(), bucket)));
        for (Table table : resources.tables()) {
          changes.accept(table(clients.dynamoDb(), table.name()));
        }
        resources.ledgerTable().ifPresent(name -> changes.accept(ledger(clients.dynamoDb(), name)));
      } else {
        resources
            .bucket()
            .ifPresent(
                bucket ->
                    changes.accept(
                        bucketExists(clients.s3(), bucket.name())
                            ? new Change(
                                "bucket",
                                bucket.name(),
                                Action.KEPT,
                                "data: --delete-data removes it")
                            : new Change("bucket", bucket.name(), Action.ABSENT, "")));
        for (Table table : resources.tables()) {
          changes.accept(
              tableArn(clients.dynamoDb(), table.name()).isPresent()
                  ? new Change("table", table.name(), Action.KEPT, "data: --delete-data removes it")
                  : new Change("table", table.name(), Action.ABSENT, ""));
        }
      }
    }
    return all;
  }

  private Change notification(S3Client s3, Bucket bucket) {
    String id = Provisioner.notificationId(resources.pipeline());
    String name = bucket.name() + "/" + id;
    NotificationConfiguration current;
    try {
      current = Provisioner.notificationOf(s3, bucket.name());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return new Change("notification", name, Action.ABSENT, "");
      }
      throw e;
    }
    if (current.queueConfigurations().stream().noneMatch(c -> id.equals(c.id()))) {
      return new Change("notification", name, Action.ABSENT, "");
    }
    NotificationConfiguration rest =
        current.toBuilder()
            .queueConfigurations(
                current.queueConfigurations().stream().filter(c -> !id.equals(c.id())).toList())
            .build();
    s3.putBucketNotificationConfiguration(
        r -> r.bucket(bucket.name()).notificationConfiguration(rest));
    return new Change("notification", name, Action.DELETED, "");
  }

  private Change queue(SqsClient sqs, String name, String kind) {
    Optional<String> url = Provisioner.queueUrl(sqs, name);
    if (url.isEmpty()) {
      return new Change(kind, name, Action.ABSENT, "");
    }
    if (!ours(sqs.listQueueTags(r -> r.queueUrl(url.get())).tags())) {
      return new Change(kind, name, Action.KEPT, "not made by bucketload for this pipeline");
    }
    sqs.deleteQueue(r -> r.queueUrl(url.get()));
    return new Change(kind, name, Action.DELETED, "");
  }

  private Change topic(SnsClient sns, Topic topic) {
    Map<String, String> tags = new HashMap<>();
    try {
      sns.listTagsForResource(r -> r.resourceArn(topic.arn()))
          .tags()
          .forEach(t -> tags.put(t.key(), t.value()));
    } catch (software.amazon.awssdk.services.sns.model.ResourceNotFoundException
        | software.amazon.awssdk.services.sns.model.NotFoundException e) {
      return new Change("topic", topic.arn(), Action.ABSENT, "");
    }
    if (!ours(tags)) {
      return new Change(
          "topic", topic.arn(), Action.KEPT, "not made by bucketload for this pipeline");
    }
    int subscriptions =
        sns.listSubscriptionsByTopic(r -> r.topicArn(topic.arn())).subscriptions().size();
    if (subscriptions > 0) {
      return new Change(
          "topic", topic.arn(), Action.KEPT, subscriptions + " subscription(s) read it");
    }
    sns.deleteTopic(r -> r.topicArn(topic.arn()));
    return new Change("topic", topic.arn(), Action.DELETED, "");
  }

  /** Whether the bucket exists (in this account or another: a name is global). */
  private static boolean bucketExists(S3Client s3, String name) {
    try {
      s3.headBucket(r -> r.bucket(name));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private Change bucket(S3Client s3, Bucket bucket) {
    String name = bucket.name();
    Map<String, String> tags = new HashMap<>();
    try {
      s3.getBucketTagging(r -> r.bucket(name)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      if ("NoSuchBucket".equals(e.awsErrorDetails().errorCode())) {
        return new Change("bucket", name, Action.ABSENT, "");
      }
    }
    if (!ours(tags)) {
      return new Change("bucket", name, Action.KEPT, "not made by bucketload for this pipeline");
    }
    Optional<String> otherUse = otherUse(s3, bucket);
    long removed = 0;
    // A bucket another pipeline also uses keeps everything but this pipeline's prefix.
    String under = otherUse.isPresent() ? bucket.prefix() : "";
    for (var page : s3.listObjectVersionsPaginator(r -> r.bucket(name).prefix(under))) {
      List<ObjectIdentifier> batch = new ArrayList<>();
      page.versions()
          .forEach(
              v ->
                  batch.add(
                      ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
      page.deleteMarkers()
          .forEach(
              m ->
                  batch.add(
                      ObjectIdentifier.builder().key(m.key()).versionId(m.versionId()).build()));
      for (int from = 0; from < batch.size(); from += 1000) {
        List<ObjectIdentifier> chunk = batch.subList(from, Math.min(batch.size(), from + 1000));
        var deleted =
            s3.deleteObjects(r -> r.bucket(name).delete(d -> d.objects(chunk).quiet(true)));
        if (deleted.hasErrors() && !deleted.errors().isEmpty()) {
          // S3 answers 200 and lists the keys it would not delete (a policy, Object Lock).
          var first = deleted.errors().get(0);
          throw software.amazon.awssdk.services.s3.model.S3Exception.builder()
              .message(
                  deleted.errors().size()
                      + " object version(s) of bucket "
                      + name
                      + " could not be deleted, e.g. "
                      + first.key()
                      + " (version "
                      + first.versionId()
                      + "): "
                      + first.code()
                      + ": "
                      + first.message())
              .awsErrorDetails(
                  software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                      .serviceName("S3")
                      .errorCode(first.code())
                      .errorMessage(
                          deleted.errors().size()
                              + " object version(s) could not be deleted, e.g. "
                              + first.key()
                              + ": "
                              + first.message())
                      .build())
              .build();
        }
        removed += chunk.size();
      }
    }
    if (otherUse.isPresent()) {
      return new Change(
          "bucket",
          name,
          Action.KEPT,
          otherUse.get()
              + "; "
              + removed
              + " object version(s) and delete marker(s) under '"
              + bucket.prefix()
              + "' removed");
    }
    s3.deleteBucket(r -> r.bucket(name));
    return new Change(
        "bucket",
        name,
        Action.DELETED,
        removed + " object version(s) and delete marker(s) removed");
  }

  /**
   * What else uses the bucket, if anything: another notification, or objects outside this
   * pipeline's prefix.
   */
  private static Optional<String> otherUse(S3Client s3, Bucket bucket) {
    NotificationConfiguration notifications = Provisioner.notificationOf(s3, bucket.name());
    int others =
        notifications.queueConfigurations().size()
            + notifications.topicConfigurations().size()
            + notifications.lambdaFunctionConfigurations().size();
    if (others > 0) {
      return Optional.of("it has " + others + " other event notification(s)");
    }
    if (bucket.prefix().isEmpty()) {
      return Optional.empty();
    }
    for (var page : s3.listObjectsV2Paginator(r -> r.bucket(bucket.name()))) {
      for (var object : page.contents()) {
        if (!object.key().startsWith(bucket.prefix())) {
          return Optional.of(
              "it holds objects outside '" + bucket.prefix() + "', e.g. " + object.key());
        }
      }
    }
    return Optional.empty();
  }

  private Change table(DynamoDbClient dynamoDb, String name) {
    Optional<String> arn = tableArn(dynamoDb, name);
    if (arn.isEmpty()) {
      return new Change("table", name, Action.ABSENT, "");
    }
    if (!ours(tableTags(dynamoDb, arn.get()))) {
      return new Change("table", name, Action.KEPT, "not made by bucketload for this pipeline");
    }
    dynamoDb.deleteTable(r -> r.tableName(name));
    return new Change("table", name, Action.DELETED, "");
  }

  /**
   * The ledger: this pipeline's entries are removed; the table too when {@code provision} made it
   * and no other pipeline's entries are left in it.
   */
  private Change ledger(DynamoDbClient dynamoDb, String name) {
    Optional<String> arn = tableArn(dynamoDb, name);
    if (arn.isEmpty()) {
      return new Change("table", name, Action.ABSENT, "ledger");
    }
    long removed = 0;
    Map<String, AttributeValue> pipeline =
        Map.of(":pk", AttributeValue.fromS(resources.pipeline()));
    for (var page :
        dynamoDb.queryPaginator(
            r ->
                r.tableName(name)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(pipeline)
                    .projectionExpression("pk, sk"))) {
      for (Map<String, AttributeValue> item : page.items()) {
        dynamoDb.deleteItem(r -> r.tableName(name).key(item));
        removed++;
      }
    }
    boolean madeByProvision =
        tableTags(dynamoDb, arn.get()).containsKey(PipelineResources.LEDGER_TAG);
    boolean empty = dynamoDb.scan(r -> r.tableName(name).limit(1)).items().isEmpty();
    if (madeByProvision && empty) {
      dynamoDb.deleteTable(r -> r.tableName(name));
      return new Change(
          "table",
          name,
          Action.DELETED,
          "ledger; " + removed + " entries of this pipeline, no other");
    }
    return new Change(
        "ledger entries",
        name,
        Action.DELETED,
        removed
            + " entries of this pipeline; the table "
            + (empty ? "was not made by provision" : "holds other pipelines' entries")
            + " and is kept");
  }

  private static Optional<String> tableArn(DynamoDbClient dynamoDb, String name) {
    try {
      return Optional.of(dynamoDb.describeTable(r -> r.tableName(name)).table().tableArn());
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> tableTags(DynamoDbClient dynamoDb, String arn) {
    Map<String, String> tags = new HashMap<>();
    dynamoDb
        .listTagsOfResource(r -> r.resourceArn(arn))
        .tags()
        .forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  private boolean ours(Map<String, String> tags) {
    return resources.pipeline().equals(tags.get(PipelineResources.TAG));
  }
}
