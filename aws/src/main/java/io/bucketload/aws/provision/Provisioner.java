package io.bucketload.aws.provision;

import io.bucketload.aws.provision.Change.Action;
import io.bucketload.aws.provision.PipelineResources.Bucket;
import io.bucketload.aws.provision.PipelineResources.Queue;
import io.bucketload.aws.provision.PipelineResources.Table;
import io.bucketload.aws.provision.PipelineResources.Topic;
import io.bucketload.core.error.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Makes what a pipeline needs in AWS, or says what it would make ({@code provision --dry-run}).
 * Everything is looked at first: a resource that exists, was not made for this pipeline and does
 * not fit (a table with another key, another notification on the same prefix) is a conflict, and
 * with any conflict nothing is changed. What it makes carries the tag {@value
 * PipelineResources#TAG} with the pipeline's name, so that {@link Teardown} removes only that.
 * Running it again changes nothing. Not thread-safe.
 */
public final class Provisioner {
  /** The id of the bucket notification a pipeline's queue gets: {@code bucketload-NAME}. */
  static String notificationId(String pipeline) {
    return "bucketload-" + pipeline;
  }

  private final PipelineResources resources;

  /** Provisions the given resources. */
  public Provisioner(PipelineResources resources) {
    this.resources = resources;
  }

  /** One resource's planned change and the work that makes it. */
  private record Step(Change change, Runnable apply) {}

  /**
   * Makes or updates every resource, or only says what it would do.
   *
   * @param dryRun whether to change nothing
   * @return what was (or would be) done to each resource, in order
   * @throws ConfigException naming every conflict; nothing is changed then
   * @throws SdkException when AWS fails (what was done before the failure stays)
   */
  public List<Change> provision(boolean dryRun) {
    try (AwsClientSet clients = new AwsClientSet(resources)) {
      List<String> conflicts = new ArrayList<>();
      List<Step> steps = new ArrayList<>();
      resources.bucket().ifPresent(bucket -> planBucket(clients.s3(), bucket, steps));
      resources.queue().ifPresent(queue -> planQueues(clients.sqs(), queue, steps, conflicts));
      if (resources.bucket().isPresent() && resources.queue().isPresent()) {
        planNotification(
            clients, resources.bucket().get(), resources.queue().get(), steps, conflicts);
      }
      for (Table table : resources.tables()) {
        planTable(
            clients.dynamoDb(),
            table,
            PipelineResources.TAG,
            resources.pipeline(),
            steps,
            conflicts);
      }
      resources
          .ledgerTable()
          .ifPresent(
              name ->
                  planTable(
                      clients.dynamoDb(),
                      new Table(
                          name,
                          List.of(
                              new PipelineResources.KeyAttribute("pk", false),
                              new PipelineResources.KeyAttribute("sk", false)),
                          resources.tables().get(0).settings()),
                      // Shared by every pipeline that names it: no pipeline's own.
                      PipelineResources.LEDGER_TAG,
                      "shared",
                      steps,
                      conflicts));
      for (Topic topic : resources.topics()) {
        planTopic(clients.sns(topic), topic, steps);
      }
      if (!conflicts.isEmpty()) {
        throw new ConfigException(
            "nothing was changed: "
                + String.join("; ", conflicts)
                + (conflicts.size() == 1 ? "" : " (" + conflicts.size() + " conflicts)"));
      }
      List<Change> changes = new ArrayList<>();
      for (Step step : steps) {
        Change change = step.change();
        if (dryRun) {
          changes.add(
              switch (change.action()) {
                case CREATED -> withAction(change, Action.WOULD_CREATE);
                case UPDATED -> withAction(change, Action.WOULD_UPDATE);
                default -> change;
              });
        } else {
          step.apply().run();
          changes.add(change);
        }
      }
      return changes;
    }
  }

  private static Change withAction(Change change, Action action) {
    return new Change(change.kind(), change.name(), action, change.detail());
  }

  // ---- bucket ----

  private void planBucket(S3Client s3, Bucket bucket, List<Step> steps) {
    String name = bucket.name();
    if (!bucketExists(s3, name)) {
      steps.add(
          new Step(
              new Change(
                  "bucket",
                  name,
                  Action.CREATED,
                  "versioned, encrypted (SSE-S3), public access blocked, TLS only"),
              () -> {
                createBucket(s3, name);
                s3.putBucketTagging(
                    r ->
                        r.bucket(name)
                            .tagging(
                                t ->
                                    t.tagSet(
                                        software.amazon.awssdk.services.s3.model.Tag.builder()
                                            .key(PipelineResources.TAG)
                                            .value(resources.pipeline())
                                            .build())));
                secureBucket(s3, bucket, List.of("all"));
              }));
      return;
    }
    if (!ours(bucketTags(s3, name))) {
      steps.add(
          new Step(
              new Change(
                  "bucket",
                  name,
                  Action.UNCHANGED,
                  "not made by bucketload for this pipeline: its settings are left as they are"),
              () -> {}));
      return;
    }
    List<String> missing = bucketGaps(s3, bucket);
    steps.add(
        new Step(
            new Change(
                "bucket",
                name,
                missing.isEmpty() ? Action.UNCHANGED : Action.UPDATED,
                missing.isEmpty() ? "" : "set again: " + String.join(", ", missing)),
            () -> secureBucket(s3, bucket, missing)));
  }

  private static boolean bucketExists(S3Client s3, String name) {
    try {
      s3.headBucket(r -> r.bucket(name));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private static void createBucket(S3Client s3, String name) {
    String region = s3.serviceClientConfiguration().region().id();
    if (region.equals("us-east-1")) {
      s3.createBucket(r -> r.bucket(name));
    } else {
      s3.createBucket(
          r -> r.bucket(name).createBucketConfiguration(c -> c.locationConstraint(region)));
    }
  }

  private static Map<String, String> bucketTags(S3Client s3, String name) {
    Map<String, String> tags = new HashMap<>();
    try {
      s3.getBucketTagging(r -> r.bucket(name)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
    }
    return tags;
  }

  /** Which of the bucket's protections are not as {@code provision} sets them. */
  private static List<String> bucketGaps(S3Client s3, Bucket bucket) {
    String name = bucket.name();
    List<String> gaps = new ArrayList<>();
    if (s3.getBucketVersioning(r -> r.bucket(name)).status() != BucketVersioningStatus.ENABLED) {
      gaps.add("versioning");
    }
    if (!optional(() -> s3.getBucketEncryption(r -> r.bucket(name)))
        .map(
            answer ->
                answer.serverSideEncryptionConfiguration().rules().stream()
                    .anyMatch(rule -> rule.applyServerSideEncryptionByDefault() != null))
        .orElse(false)) {
      gaps.add("encryption");
    }
    if (!optional(() -> s3.getPublicAccessBlock(r -> r.bucket(name)))
        .map(answer -> answer.publicAccessBlockConfiguration().equals(publicAccessBlocked()))
        .orElse(false)) {
      gaps.add("public access block");
    }
    if (!optional(() -> s3.getBucketPolicy(r -> r.bucket(name)))
        .map(answer -> Policies.hasStatement(answer.policy(), Policies.tlsOnly(bucket.arn())))
        .orElse(false)) {
      gaps.add("TLS-only policy");
    }
    return gaps;
  }

  private static <T> Optional<T> optional(Supplier<T> call) {
    try {
      return Optional.of(call.get());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static PublicAccessBlockConfiguration publicAccessBlocked() {
    return PublicAccessBlockConfiguration.builder()
        .blockPublicAcls(true)
        .ignorePublicAcls(true)
        .blockPublicPolicy(true)
        .restrictPublicBuckets(true)
        .build();
  }

  /** Sets the protections named in {@code which} ({@code all} for every one). */
  private static void secureBucket(S3Client s3, Bucket bucket, List<String> which) {
    String name = bucket.name();
    boolean all = which.contains("all");
    if (all || which.contains("versioning")) {
      s3.putBucketVersioning(
          r ->
              r.bucket(name)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    if (all || which.contains("encryption")) {
      s3.putBucketEncryption(
          r ->
              r.bucket(name)
                  .serverSideEncryptionConfiguration(
                      c ->
                          c.rules(
                              ServerSideEncryptionRule.builder()
                                  .applyServerSideEncryptionByDefault(
                                      d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                                  .bucketKeyEnabled(true)
                                  .build())));
    }
    if (all || which.contains("public access block")) {
      s3.putPublicAccessBlock(
          r -> r.bucket(name).publicAccessBlockConfiguration(publicAccessBlocked()));
    }
    if (all || which.contains("TLS-only policy")) {
      s3.putBucketPolicy(r -> r.bucket(name).policy(Policies.tlsOnly(bucket.arn()).toString()));
    }
  }

  // ---- queues ----

  private void planQueues(SqsClient sqs, Queue queue, List<Step> steps, List<String> conflicts) {
    queue
        .region()
        .filter(region -> !region.equals(sqs.serviceClientConfiguration().region().id()))
        .ifPresent(
            region ->
                conflicts.add(
                    "trigger.sqs names a queue in "
                        + region
                        + ", but the trigger's client is in "
                        + sqs.serviceClientConfiguration().region().id()
                        + "; set trigger.region: "
                        + region));
    Map<QueueAttributeName, String> deadLetter = new HashMap<>();
    deadLetter.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600");
    planQueue(
        sqs, queue.deadLetterName(), () -> deadLetter, "dead-letter queue", "", steps, conflicts);
    Supplier<Map<QueueAttributeName, String>> main =
        () -> {
          Map<QueueAttributeName, String> attributes = new HashMap<>();
          attributes.put(
              QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(queue.visibilitySeconds()));
          attributes.put(
              QueueAttributeName.REDRIVE_POLICY,
              Policies.redrive(
                  queueArn(sqs, queue.deadLetterName()).orElse("(made above)"),
                  queue.maxReceiveCount()));
          resources
              .bucket()
              .ifPresent(
                  bucket ->
                      attributes.put(
                          QueueAttributeName.POLICY,
                          Policies.bucketMaySend(
                                  queueArn(sqs, queue.name()).orElse(arnGuess(sqs, queue.name())),
                                  bucket.arn())
                              .toString()));
          return attributes;
        };
    planQueue(
        sqs,
        queue.name(),
        main,
        "queue",
        "dead-letter queue "
            + queue.deadLetterName()
            + " after "
            + queue.maxReceiveCount()
            + " receives, visibility "
            + queue.visibilitySeconds()
            + " s",
        steps,
        conflicts);
  }

  private void planQueue(
      SqsClient sqs,
      String name,
      Supplier<Map<QueueAttributeName, String>> wanted,
      String kind,
      String detail,
      List<Step> steps,
      List<String> conflicts) {
    Optional<String> url = queueUrl(sqs, name);
    if (url.isEmpty()) {
      steps.add(
          new Step(
              new Change(kind, name, Action.CREATED, detail),
              () ->
                  sqs.createQueue(
                      r ->
                          r.queueName(name)
                              .attributes(wanted.get())
                              .tags(Map.of(PipelineResources.TAG, resources.pipeline())))));
      return;
    }
    Map<String, String> tags = sqs.listQueueTags(r -> r.queueUrl(url.get())).tags();
    if (!ours(tags) && kind.equals("queue") && resources.bucket().isPresent()) {
      Map<QueueAttributeName, String> actual =
          sqs.getQueueAttributes(
                  r ->
                      r.queueUrl(url.get())
                          .attributeNames(QueueAttributeName.POLICY, QueueAttributeName.QUEUE_ARN))
              .attributes();
      String arn = actual.getOrDefault(QueueAttributeName.QUEUE_ARN, "");
      if (!Policies.hasStatement(
          actual.getOrDefault(QueueAttributeName.POLICY, "{}"),
          Policies.bucketMaySend(arn, resources.bucket().get().arn()))) {
        conflicts.add(
            "queue "
                + name
                + " was not made by bucketload for this pipeline and its policy does not let"
                + " bucket "
                + resources.bucket().get().name()
                + " send to it (statement "
                + Policies.ALLOW_BUCKET
                + "); add that statement, or name a queue provision may make");
      }
    }
    if (!ours(tags)) {
      steps.add(
          new Step(
              new Change(
                  kind,
                  name,
                  Action.UNCHANGED,
                  "not made by bucketload for this pipeline: its settings are left as they are"),
              () -> {}));
      return;
    }
    Map<QueueAttributeName, String> want = wanted.get();
    Map<QueueAttributeName, String> actual =
        sqs.getQueueAttributes(r -> r.queueUrl(url.get()).attributeNames(QueueAttributeName.ALL))
            .attributes();
    Map<QueueAttributeName, String> changed = new HashMap<>();
    for (Map.Entry<QueueAttributeName, String> entry : want.entrySet()) {
      String now = actual.getOrDefault(entry.getKey(), "");
      boolean same =
          switch (entry.getKey()) {
            case REDRIVE_POLICY -> Policies.sameRedrive(now, entry.getValue());
            case POLICY -> Policies.hasStatement(now, readObject(entry.getValue()));
            default -> now.equals(entry.getValue());
          };
      if (!same) {
        changed.put(entry.getKey(), entry.getValue());
      }
    }
    steps.add(
        new Step(
            new Change(
                kind,
                name,
                changed.isEmpty() ? Action.UNCHANGED : Action.UPDATED,
                changed.isEmpty()
                    ? detail
                    : "set again: "
                        + String.join(
                            ", ",
                            changed.keySet().stream()
                                .map(QueueAttributeName::toString)
                                .sorted()
                                .toList())),
            () -> {
              if (!changed.isEmpty()) {
                // Computed again: a dead-letter queue made by an earlier step has its ARN now.
                Map<QueueAttributeName, String> fresh = new HashMap<>(wanted.get());
                fresh.keySet().retainAll(changed.keySet());
                sqs.setQueueAttributes(r -> r.queueUrl(url.get()).attributes(fresh));
              }
            }));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode readObject(String json) {
    try {
      return (com.fasterxml.jackson.databind.node.ObjectNode) Policies.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Optional<String> queueUrl(SqsClient sqs, String name) {
    try {
      return Optional.of(sqs.getQueueUrl(r -> r.queueName(name)).queueUrl());
    } catch (QueueDoesNotExistException e) {
      return Optional.empty();
    }
  }

  static Optional<String> queueArn(SqsClient sqs, String name) {
    return queueUrl(sqs, name)
        .map(
            url ->
                sqs.getQueueAttributes(
                        r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN));
  }

  /** The ARN a queue about to be made will have: that of its dead-letter queue, renamed. */
  private static String arnGuess(SqsClient sqs, String name) {
    return queueArn(sqs, name + PipelineResources.DEAD_LETTER_SUFFIX)
        .map(arn -> arn.substring(0, arn.lastIndexOf(':') + 1) + name)
        .orElse("arn:aws:sqs:::" + name);
  }

  // ---- notification ----

  private void planNotification(
      AwsClientSet clients, Bucket bucket, Queue queue, List<Step> steps, List<String> conflicts) {
    S3Client s3 = clients.s3();
    String id = notificationId(resources.pipeline());
    NotificationConfiguration current =
        bucketExists(s3, bucket.name())
            ? notificationOf(s3, bucket.name())
            : NotificationConfiguration.builder().build();
    Optional<QueueConfiguration> mine =
        current.queueConfigurations().stream().filter(c -> id.equals(c.id())).findFirst();
    for (OtherNotification other : others(current)) {
      if (!id.equals(other.id()) && other.created() && overlaps(other.filter(), bucket)) {
        conflicts.add(
            "bucket "
                + bucket.name()
                + " already sends object events under '"
                + rule(other.filter(), FilterRuleName.PREFIX).orElse("")
                + "' to "
                + other.destination()
                + " (notification '"
                + other.id()
                + "'); S3 sends an event to one destination only: remove that notification or"
                + " give the pipeline another prefix");
      }
    }
    String detail =
        "s3:ObjectCreated:* under '"
            + bucket.eventPrefix()
            + "'"
            + bucket.eventSuffix().map(suffix -> " ending '" + suffix + "'").orElse("")
            + " to "
            + queue.name();
    boolean same =
        mine.isPresent()
            && rule(mine.get(), FilterRuleName.PREFIX).orElse("").equals(bucket.eventPrefix())
            && rule(mine.get(), FilterRuleName.SUFFIX).equals(bucket.eventSuffix())
            && mine.get().queueArn().endsWith(":" + queue.name());
    steps.add(
        new Step(
            new Change(
                "notification",
                bucket.name() + "/" + id,
                same ? Action.UNCHANGED : mine.isPresent() ? Action.UPDATED : Action.CREATED,
                detail),
            () -> {
              if (same) {
                return;
              }
              String queueArn = queueArn(clients.sqs(), queue.name()).orElseThrow();
              NotificationConfiguration now = notificationOf(s3, bucket.name());
              List<QueueConfiguration> queues = new ArrayList<>();
              now.queueConfigurations().stream()
                  .filter(c -> !id.equals(c.id()))
                  .forEach(queues::add);
              queues.add(ours(id, queueArn, bucket));
              s3.putBucketNotificationConfiguration(
                  r ->
                      r.bucket(bucket.name())
                          .notificationConfiguration(
                              now.toBuilder().queueConfigurations(queues).build()));
            }));
  }

  /** The bucket's notification configuration, as it can be put back. */
  static NotificationConfiguration notificationOf(S3Client s3, String bucket) {
    var current = s3.getBucketNotificationConfiguration(r -> r.bucket(bucket));
    return NotificationConfiguration.builder()
        .queueConfigurations(current.queueConfigurations())
        .topicConfigurations(current.topicConfigurations())
        .lambdaFunctionConfigurations(current.lambdaFunctionConfigurations())
        .eventBridgeConfiguration(current.eventBridgeConfiguration())
        .build();
  }

  /** The queue configuration of a pipeline's notification. */
  static QueueConfiguration ours(String id, String queueArn, Bucket bucket) {
    List<FilterRule> rules = new ArrayList<>();
    if (!bucket.eventPrefix().isEmpty()) {
      rules.add(FilterRule.builder().name("prefix").value(bucket.eventPrefix()).build());
    }
    bucket
        .eventSuffix()
        .ifPresent(suffix -> rules.add(FilterRule.builder().name("suffix").value(suffix).build()));
    QueueConfiguration.Builder configuration =
        QueueConfiguration.builder().id(id).queueArn(queueArn).events(Event.S3_OBJECT_CREATED);
    if (!rules.isEmpty()) {
      configuration.filter(f -> f.key(k -> k.filterRules(rules)));
    }
    return configuration.build();
  }

  /**
   * A notification of the bucket, of any destination kind.
   *
   * @param id its id
   * @param destination the queue, topic or function it sends to
   * @param created whether it sends object-created events
   * @param filter its key filter, if any
   */
  private record OtherNotification(
      String id,
      String destination,
      boolean created,
      software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter filter) {}

  private static List<OtherNotification> others(NotificationConfiguration configuration) {
    List<OtherNotification> all = new ArrayList<>();
    configuration
        .queueConfigurations()
        .forEach(
            c ->
                all.add(
                    new OtherNotification(
                        c.id(), c.queueArn(), createsObjects(c.eventsAsStrings()), c.filter())));
    configuration
        .topicConfigurations()
        .forEach(
            c ->
                all.add(
                    new OtherNotification(
                        c.id(), c.topicArn(), createsObjects(c.eventsAsStrings()), c.filter())));
    configuration
        .lambdaFunctionConfigurations()
        .forEach(
            c ->
                all.add(
                    new OtherNotification(
                        c.id(),
                        c.lambdaFunctionArn(),
                        createsObjects(c.eventsAsStrings()),
                        c.filter())));
    return all;
  }

  private static boolean createsObjects(List<String> events) {
    return events.stream().anyMatch(event -> event.startsWith("s3:ObjectCreated:"));
  }

  private static Optional<String> rule(QueueConfiguration configuration, FilterRuleName name) {
    return rule(configuration.filter(), name);
  }

  private static Optional<String> rule(
      software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter filter,
      FilterRuleName name) {
    if (filter == null || filter.key() == null) {
      return Optional.empty();
    }
    return filter.key().filterRules().stream()
        .filter(r -> name.toString().equalsIgnoreCase(r.nameAsString()))
        .map(FilterRule::value)
        .findFirst();
  }

  /** Whether another notification's keys can overlap the pipeline's (S3 refuses both). */
  private static boolean overlaps(
      software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter other,
      Bucket bucket) {
    String prefix = rule(other, FilterRuleName.PREFIX).orElse("");
    String suffix = rule(other, FilterRuleName.SUFFIX).orElse("");
    String mine = bucket.eventPrefix();
    String myEnd = bucket.eventSuffix().orElse("");
    boolean prefixes = prefix.startsWith(mine) || mine.startsWith(prefix);
    boolean suffixes = suffix.endsWith(myEnd) || myEnd.endsWith(suffix);
    return prefixes && suffixes;
  }

  // ---- tables ----

  private void planTable(
      DynamoDbClient dynamoDb,
      Table table,
      String tagKey,
      String tagValue,
      List<Step> steps,
      List<String> conflicts) {
    Optional<TableDescription> description = describe(dynamoDb, table.name());
    String key =
        String.join(", ", table.key().stream().map(k -> k.name() + " (" + k.type() + ")").toList());
    if (description.isEmpty()) {
      steps.add(
          new Step(
              new Change(
                  "table", table.name(), Action.CREATED, "key " + key + ", on demand, encrypted"),
              () -> createTable(dynamoDb, table, tagKey, tagValue)));
      return;
    }
    List<String> existing = new ArrayList<>();
    Map<String, String> types = new HashMap<>();
    description
        .get()
        .attributeDefinitions()
        .forEach(a -> types.put(a.attributeName(), a.attributeTypeAsString()));
    for (KeyType role : List.of(KeyType.HASH, KeyType.RANGE)) {
      for (KeySchemaElement element : description.get().keySchema()) {
        if (element.keyType() == role) {
          existing.add(element.attributeName() + " (" + types.get(element.attributeName()) + ")");
        }
      }
    }
    if (!String.join(", ", existing).equals(key)) {
      conflicts.add(
          "table "
              + table.name()
              + " exists with the key "
              + String.join(", ", existing)
              + ", the pipeline's is "
              + key);
      return;
    }
    steps.add(
        new Step(new Change("table", table.name(), Action.UNCHANGED, "key " + key), () -> {}));
  }

  private static Optional<TableDescription> describe(DynamoDbClient dynamoDb, String name) {
    try {
      return Optional.of(dynamoDb.describeTable(r -> r.tableName(name)).table());
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    }
  }

  private static void createTable(
      DynamoDbClient dynamoDb, Table table, String tagKey, String tagValue) {
    dynamoDb.createTable(
        r ->
            r.tableName(table.name())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .sseSpecification(s -> s.enabled(true))
                .keySchema(
                    java.util.stream.IntStream.range(0, table.key().size())
                        .mapToObj(
                            i ->
                                KeySchemaElement.builder()
                                    .attributeName(table.key().get(i).name())
                                    .keyType(i == 0 ? KeyType.HASH : KeyType.RANGE)
                                    .build())
                        .toList())
                .attributeDefinitions(
                    table.key().stream()
                        .map(
                            k ->
                                AttributeDefinition.builder()
                                    .attributeName(k.name())
                                    .attributeType(k.type())
                                    .build())
                        .toList())
                .tags(
                    software.amazon.awssdk.services.dynamodb.model.Tag.builder()
                        .key(tagKey)
                        .value(tagValue)
                        .build()));
    dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(table.name()));
  }

  // ---- topics ----

  private void planTopic(SnsClient sns, Topic topic, List<Step> steps) {
    boolean exists;
    try {
      sns.getTopicAttributes(r -> r.topicArn(topic.arn()));
      exists = true;
    } catch (software.amazon.awssdk.services.sns.model.NotFoundException e) {
      exists = false;
    }
    if (exists) {
      steps.add(new Step(new Change("topic", topic.arn(), Action.UNCHANGED, ""), () -> {}));
      return;
    }
    steps.add(
        new Step(
            new Change("topic", topic.arn(), Action.CREATED, ""),
            () -> {
              String made =
                  sns.createTopic(
                          r ->
                              r.name(topic.name())
                                  .tags(
                                      software.amazon.awssdk.services.sns.model.Tag.builder()
                                          .key(PipelineResources.TAG)
                                          .value(resources.pipeline())
                                          .build()))
                      .topicArn();
              if (!made.equals(topic.arn())) {
                sns.deleteTopic(r -> r.topicArn(made));
                throw new ConfigException(
                    "made topic "
                        + made
                        + " (removed again), but the pipeline names "
                        + topic.arn()
                        + ": the credentials are of another account or region");
              }
            }));
  }

  private boolean ours(Map<String, String> tags) {
    return resources.pipeline().equals(tags.get(PipelineResources.TAG));
  }
}
