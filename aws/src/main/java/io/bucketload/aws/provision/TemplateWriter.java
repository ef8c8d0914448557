package io.bucketload.aws.provision;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.bucketload.aws.provision.PipelineResources.Bucket;
import io.bucketload.aws.provision.PipelineResources.KeyAttribute;
import io.bucketload.aws.provision.PipelineResources.Queue;
import io.bucketload.aws.provision.PipelineResources.Table;
import io.bucketload.aws.provision.PipelineResources.Topic;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.TriggerSpec;
import io.bucketload.core.target.LoadMode;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes an AWS CloudFormation template (with the SAM transform for a Lambda consumer) for a whole
 * pipeline: the bucket (versioned, encrypted, public access blocked, TLS only) with its event
 * notification, the queue and its dead-letter queue with the queue policy, the DynamoDB tables, the
 * SNS topics, and either the Lambda function with its role and log group or the role of a service.
 * Every IAM statement names its actions one by one and its resources by name: no {@code *} action
 * and no {@code *} resource (object and log-stream ARNs end in the prefix or group they are scoped
 * to). Built as a Jackson tree and written as YAML.
 */
public final class TemplateWriter {
  /** Who consumes the pipeline's events. */
  public enum Consumer {
    /** The Lambda function of {@code bucketload-lambda.jar}. */
    LAMBDA,
    /** {@code bucketload serve} on ECS or EC2, under the role the template makes. */
    SERVICE
  }

  /** The Lambda function's timeout, seconds. */
  static final int FUNCTION_TIMEOUT = 900;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final PipelineSpec spec;
  private final PipelineResources resources;

  /** A writer for a checked pipeline and its resources. */
  public TemplateWriter(PipelineSpec spec, PipelineResources resources) {
    this.spec = spec;
    this.resources = resources;
  }

  /**
   * The template as YAML.
   *
   * @throws ConfigException when the pipeline cannot run this way (a DuckDB file in Lambda)
   */
  public String write(Consumer consumer) {
    try {
      YAMLMapper yaml =
          new YAMLMapper(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .build());
      return yaml.writeValueAsString(template(consumer));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a template tree always writes", e);
    }
  }

  /** The template as a tree. */
  ObjectNode template(Consumer consumer) {
    if (consumer == Consumer.LAMBDA && !spec.target().type().equals("dynamodb")) {
      throw new ConfigException(
          "template --consumer lambda: target.type "
              + spec.target().type()
              + " does not run in the Lambda package; use --consumer service, or a dynamodb"
              + " target");
    }
    ObjectNode template = NODES.objectNode();
    template.put("AWSTemplateFormatVersion", "2010-09-09");
    if (consumer == Consumer.LAMBDA) {
      template.put("Transform", "AWS::Serverless-2016-10-31");
    }
    template.put(
        "Description",
        "bucketload pipeline "
            + spec.name()
            + ", derived from "
            + spec.file().getFileName()
            + " by bucketload template");
    ObjectNode parameters = template.putObject("Parameters");
    resources
        .ledgerTable()
        .ifPresent(
            name -> {
              // Pipelines share the ledger table: the first stack makes it, the others do not.
              ObjectNode create = parameters.putObject(CREATE_LEDGER);
              create.put("Type", "String");
              create.putArray("AllowedValues").add("true").add("false");
              create.put("Default", "true");
              create.put(
                  "Description",
                  "Whether this stack creates the ledger table "
                      + name
                      + ", which pipelines share: false when another stack (or bucketload"
                      + " provision) made it");
              template
                  .putObject("Conditions")
                  .putObject(CREATES_LEDGER)
                  .putArray("Fn::Equals")
                  .add(ref(CREATE_LEDGER))
                  .add("true");
            });
    if (consumer == Consumer.LAMBDA && !pipelineVariables().isEmpty()) {
      // The function reads a copy of the pipeline file with its ${VARIABLES}: their values are
      // the stack's parameters, given at deploy time (none is written into the template).
      pipelineVariables()
          .forEach(
              (variable, fallback) -> {
                ObjectNode parameter = parameters.putObject(parameterOf(variable));
                parameter.put("Type", "String");
                parameter.put(
                    "Description", "${" + variable + "} of the pipeline file, for the function");
                fallback.ifPresent(value -> parameter.put("Default", value));
                if (variable.matches("(?i).*(PASSWORD|SECRET|TOKEN|KEY).*")) {
                  parameter.put("NoEcho", true);
                }
              });
    }
    ObjectNode out = template.putObject("Resources");
    ObjectNode outputs = NODES.objectNode();
    resources.bucket().ifPresent(bucket -> bucket(out, bucket, outputs));
    resources.queue().ifPresent(queue -> queues(out, queue, consumer, outputs));
    for (int i = 0; i < resources.tables().size(); i++) {
      table(out, "Table" + (i == 0 ? "" : Integer.toString(i + 1)), resources.tables().get(i));
      outputs
          .putObject("TableName" + (i == 0 ? "" : Integer.toString(i + 1)))
          .set("Value", ref("Table" + (i == 0 ? "" : Integer.toString(i + 1))));
    }
    resources
        .ledgerTable()
        .ifPresent(
            name ->
                table(
                    out,
                    "LedgerTable",
                    new Table(
                        name,
                        List.of(new KeyAttribute("pk", false), new KeyAttribute("sk", false)),
                        resources.tables().get(0).settings())));
    if (out.has("LedgerTable")) {
      ((ObjectNode) out.get("LedgerTable")).put("Condition", CREATES_LEDGER);
    }
    for (int i = 0; i < resources.topics().size(); i++) {
      Topic topic = resources.topics().get(i);
      ObjectNode properties = resource(out, "Topic" + (i + 1), "AWS::SNS::Topic");
      properties.put("TopicName", topic.name());
      tags(properties);
    }
    ArrayNode statements = statements(consumer);
    if (consumer == Consumer.LAMBDA) {
      function(out, statements, outputs);
    } else {
      serviceRole(out, statements, outputs);
    }
    template.set("Outputs", outputs);
    if (template.get("Parameters").isEmpty()) {
      template.remove("Parameters");
    }
    return template;
  }

  // ---- resources ----

  private void bucket(ObjectNode out, Bucket bucket, ObjectNode outputs) {
    ObjectNode resource = out.putObject("Bucket");
    resource.put("Type", "AWS::S3::Bucket");
    resource.put("DeletionPolicy", "Retain");
    resource.put("UpdateReplacePolicy", "Retain");
    if (resources.queue().isPresent()) {
      resource.put("DependsOn", "QueuePolicy");
    }
    ObjectNode properties = resource.putObject("Properties");
    properties.put("BucketName", bucket.name());
    properties.putObject("VersioningConfiguration").put("Status", "Enabled");
    properties
        .putObject("BucketEncryption")
        .putArray("ServerSideEncryptionConfiguration")
        .addObject()
        .put("BucketKeyEnabled", true)
        .putObject("ServerSideEncryptionByDefault")
        .put("SSEAlgorithm", "AES256");
    properties
        .putObject("PublicAccessBlockConfiguration")
        .put("BlockPublicAcls", true)
        .put("BlockPublicPolicy", true)
        .put("IgnorePublicAcls", true)
        .put("RestrictPublicBuckets", true);
    resources
        .queue()
        .ifPresent(
            queue -> {
              ObjectNode configuration =
                  properties
                      .putObject("NotificationConfiguration")
                      .putArray("QueueConfigurations")
                      .addObject();
              configuration.put("Event", "s3:ObjectCreated:*");
              configuration.set("Queue", getAtt("Queue", "Arn"));
              ArrayNode rules = NODES.arrayNode();
              if (!bucket.eventPrefix().isEmpty()) {
                rules.addObject().put("Name", "prefix").put("Value", bucket.eventPrefix());
              }
              bucket
                  .eventSuffix()
                  .ifPresent(
                      suffix -> rules.addObject().put("Name", "suffix").put("Value", suffix));
              if (!rules.isEmpty()) {
                configuration.putObject("Filter").putObject("S3Key").set("Rules", rules);
              }
            });
    tags(properties);
    ObjectNode policy = resource(out, "BucketPolicy", "AWS::S3::BucketPolicy");
    policy.set("Bucket", ref("Bucket"));
    policy.set("PolicyDocument", Policies.tlsOnly(bucket.arn()));
    outputs.putObject("BucketName").set("Value", ref("Bucket"));
  }

  private void queues(ObjectNode out, Queue queue, Consumer consumer, ObjectNode outputs) {
    ObjectNode deadLetter = resource(out, "DeadLetterQueue", "AWS::SQS::Queue");
    deadLetter.put("QueueName", queue.deadLetterName());
    deadLetter.put("MessageRetentionPeriod", 1209600);
    deadLetter.put("SqsManagedSseEnabled", true);
    tags(deadLetter);
    ObjectNode main = resource(out, "Queue", "AWS::SQS::Queue");
    main.put("QueueName", queue.name());
    // AWS asks for 6 times the function's timeout when Lambda consumes the queue.
    main.put(
        "VisibilityTimeout",
        consumer == Consumer.LAMBDA ? 6 * FUNCTION_TIMEOUT : queue.visibilitySeconds());
    main.put("SqsManagedSseEnabled", true);
    ObjectNode redrive = main.putObject("RedrivePolicy");
    redrive.set("deadLetterTargetArn", getAtt("DeadLetterQueue", "Arn"));
    redrive.put("maxReceiveCount", queue.maxReceiveCount());
    tags(main);
    if (resources.bucket().isPresent()) {
      ObjectNode policy = resource(out, "QueuePolicy", "AWS::SQS::QueuePolicy");
      policy.putArray("Queues").add(ref("Queue"));
      ObjectNode document = Policies.bucketMaySend("QUEUE", resources.bucket().get().arn());
      ((ObjectNode) document.get("Statement").get(0)).set("Resource", getAtt("Queue", "Arn"));
      policy.set("PolicyDocument", document);
    }
    outputs.putObject("QueueUrl").set("Value", ref("Queue"));
  }

  private void table(ObjectNode out, String logicalId, Table table) {
    ObjectNode resource = out.putObject(logicalId);
    resource.put("Type", "AWS::DynamoDB::Table");
    resource.put("DeletionPolicy", "Retain");
    resource.put("UpdateReplacePolicy", "Retain");
    ObjectNode properties = resource.putObject("Properties");
    properties.put("TableName", table.name());
    properties.put("BillingMode", "PAY_PER_REQUEST");
    properties.putObject("SSESpecification").put("SSEEnabled", true);
    properties
        .putObject("PointInTimeRecoverySpecification")
        .put("PointInTimeRecoveryEnabled", true);
    ArrayNode keys = properties.putArray("KeySchema");
    ArrayNode attributes = properties.putArray("AttributeDefinitions");
    for (int k = 0; k < table.key().size(); k++) {
      KeyAttribute attribute = table.key().get(k);
      keys.addObject()
          .put("AttributeName", attribute.name())
          .put("KeyType", k == 0 ? "HASH" : "RANGE");
      attributes
          .addObject()
          .put("AttributeName", attribute.name())
          .put("AttributeType", attribute.type());
    }
    tags(properties);
  }

  private void function(ObjectNode out, ArrayNode statements, ObjectNode outputs) {
    String name = functionName();
    ObjectNode logGroup = resource(out, "FunctionLogGroup", "AWS::Logs::LogGroup");
    logGroup.put("LogGroupName", "/aws/lambda/" + name);
    logGroup.put("RetentionInDays", 30);
    ArrayNode all = statements.deepCopy();
    all.add(
        statement(
            "Logs",
            List.of("logs:CreateLogStream", "logs:PutLogEvents"),
            sub(
                "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/"
                    + name
                    + ":log-stream:*")));
    ObjectNode role = resource(out, "FunctionRole", "AWS::IAM::Role");
    role.set("AssumeRolePolicyDocument", trust(List.of("lambda.amazonaws.com")));
    role.set("Policies", inlinePolicy(all));
    ObjectNode function = resource(out, "Function", "AWS::Serverless::Function");
    function.put("FunctionName", name);
    function.put("CodeUri", "lambda/target/bucketload-lambda.jar");
    function.put("Handler", "io.bucketload.lambda.Handler::handleRequest");
    function.put("Runtime", "java21");
    function.put("MemorySize", 1024);
    function.put("Timeout", FUNCTION_TIMEOUT);
    function.put("ReservedConcurrentExecutions", 4);
    function.set("Role", getAtt("FunctionRole", "Arn"));
    ObjectNode variables = function.putObject("Environment").putObject("Variables");
    variables.put("BUCKETLOAD_PIPELINE", pipelineUri());
    for (String variable : pipelineVariables().keySet()) {
      variables.set(variable, ref(parameterOf(variable)));
    }
    ObjectNode events = function.putObject("Events");
    if (resources.queue().isPresent()) {
      ObjectNode sqs = events.putObject("Queue");
      sqs.put("Type", "SQS");
      ObjectNode properties = sqs.putObject("Properties");
      properties.set("Queue", getAtt("Queue", "Arn"));
      // One file per invocation: each must load within the function's timeout.
      properties.put("BatchSize", 1);
      properties.putArray("FunctionResponseTypes").add("ReportBatchItemFailures");
    }
    int schedules = 0;
    for (TriggerSpec trigger : spec.triggers()) {
      if (trigger.type().equals("schedule")) {
        schedules++;
        ObjectNode schedule = events.putObject("Schedule" + schedules);
        schedule.put("Type", "Schedule");
        schedule.putObject("Properties").put("Schedule", trigger.address());
      }
    }
    if (events.isEmpty()) {
      function.remove("Events");
    }
    ((ObjectNode) out.get("Function")).put("DependsOn", "FunctionLogGroup");
    outputs.putObject("FunctionArn").set("Value", getAtt("Function", "Arn"));
    outputs
        .putObject("PipelineFile")
        .put("Value", pipelineUri())
        .put("Description", "where the function reads the pipeline file: copy it there");
  }

  private void serviceRole(ObjectNode out, ArrayNode statements, ObjectNode outputs) {
    ObjectNode role = resource(out, "ServiceRole", "AWS::IAM::Role");
    role.set(
        "AssumeRolePolicyDocument", trust(List.of("ecs-tasks.amazonaws.com", "ec2.amazonaws.com")));
    role.set("Policies", inlinePolicy(statements));
    ObjectNode profile = resource(out, "ServiceInstanceProfile", "AWS::IAM::InstanceProfile");
    profile.putArray("Roles").add(ref("ServiceRole"));
    outputs.putObject("ServiceRoleArn").set("Value", getAtt("ServiceRole", "Arn"));
  }

  // ---- the policy ----

  /** What bucketload does with each resource, and nothing more. */
  ArrayNode statements(Consumer consumer) {
    ArrayNode statements = NODES.arrayNode();
    resources
        .bucket()
        .ifPresent(
            bucket -> {
              String objects = "arn:aws:s3:::" + bucket.name() + "/" + bucket.prefix();
              statements.add(
                  statement(
                      "ReadLandingFiles",
                      List.of("s3:GetObject", "s3:GetObjectVersion"),
                      NODES.textNode(objects + "*")));
              // Without a prefix condition: S3 answers a HEAD of a missing object with 404 only
              // to a caller that may list the bucket (403 otherwise, which reads as a failure).
              statements.add(
                  statement(
                      "ListLandingBucket", List.of("s3:ListBucket"), NODES.textNode(bucket.arn())));
              ArrayNode outputs = NODES.arrayNode();
              for (String folder : outputFolders()) {
                outputs.add(objects + "*" + folder + "/*");
              }
              statements.add(
                  statement(
                      "WriteRejectsAndFailedCopies",
                      List.of("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
                      outputs));
              if (consumer == Consumer.LAMBDA) {
                statements.add(
                    statement(
                        "ReadPipelineFile",
                        List.of("s3:GetObject"),
                        NODES.textNode("arn:aws:s3:::" + bucket.name() + "/" + pipelineKey())));
              }
            });
    resources
        .queue()
        .ifPresent(
            queue ->
                statements.add(
                    statement(
                        "Queue",
                        List.of(
                            "sqs:ReceiveMessage",
                            "sqs:DeleteMessage",
                            "sqs:ChangeMessageVisibility",
                            "sqs:GetQueueAttributes",
                            "sqs:GetQueueUrl"),
                        getAtt("Queue", "Arn"))));
    for (int i = 0; i < resources.tables().size(); i++) {
      Set<LoadMode> modes = spec.modes();
      List<String> actions =
          new java.util.ArrayList<>(
              List.of("dynamodb:DescribeTable", "dynamodb:BatchWriteItem", "dynamodb:PutItem"));
      if (modes.contains(LoadMode.SYNC)) {
        actions.addAll(List.of("dynamodb:Scan", "dynamodb:DeleteItem"));
      }
      if (modes.contains(LoadMode.MERGE)) {
        actions.add("dynamodb:UpdateItem");
      }
      statements.add(
          statement(
              "WriteTable" + (i == 0 ? "" : Integer.toString(i + 1)),
              actions,
              getAtt("Table" + (i == 0 ? "" : Integer.toString(i + 1)), "Arn")));
    }
    if (resources.ledgerTable().isPresent()) {
      statements.add(
          statement(
              "Ledger",
              List.of(
                  "dynamodb:DescribeTable",
                  "dynamodb:GetItem",
                  "dynamodb:PutItem",
                  "dynamodb:UpdateItem",
                  "dynamodb:Query"),
              // By name: the table may be another stack's.
              NODES
                  .objectNode()
                  .put(
                      "Fn::Sub",
                      "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/"
                          + resources.ledgerTable().get())));
    }
    for (int i = 0; i < resources.topics().size(); i++) {
      statements.add(statement("Notify" + (i + 1), List.of("sns:Publish"), ref("Topic" + (i + 1))));
    }
    return statements;
  }

  /** The folders beside each file that bucketload writes: rejects, failed copies, exports. */
  private List<String> outputFolders() {
    List<String> folders = new java.util.ArrayList<>();
    folders.add(spec.source().rejectedFolder());
    spec.source().failedFolder().ifPresent(folders::add);
    spec.exports().forEach(export -> folders.add(export.folder()));
    return folders.stream().distinct().toList();
  }

  private static ObjectNode statement(
      String sid, List<String> actions, com.fasterxml.jackson.databind.JsonNode resource) {
    ObjectNode statement = NODES.objectNode();
    statement.put("Sid", sid);
    statement.put("Effect", "Allow");
    ArrayNode list = statement.putArray("Action");
    actions.forEach(list::add);
    statement.set("Resource", resource);
    return statement;
  }

  private static ArrayNode inlinePolicy(ArrayNode statements) {
    ArrayNode policies = NODES.arrayNode();
    ObjectNode policy = policies.addObject();
    policy.put("PolicyName", "bucketload");
    ObjectNode document = policy.putObject("PolicyDocument");
    document.put("Version", "2012-10-17");
    document.set("Statement", statements);
    return policies;
  }

  private static ObjectNode trust(List<String> services) {
    ObjectNode document = NODES.objectNode();
    document.put("Version", "2012-10-17");
    ObjectNode statement = document.putArray("Statement").addObject();
    statement.put("Effect", "Allow");
    ArrayNode principals = statement.putObject("Principal").putArray("Service");
    services.forEach(principals::add);
    statement.putArray("Action").add("sts:AssumeRole");
    return document;
  }

  // ---- helpers ----

  private static final java.util.regex.Pattern VARIABLE =
      java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\\}");

  /**
   * The {@code ${VARIABLES}} the pipeline file uses, with the defaults written in it, in order;
   * those Lambda reserves ({@code AWS_...}) are left out.
   */
  private java.util.Map<String, java.util.Optional<String>> pipelineVariables() {
    java.util.Map<String, java.util.Optional<String>> variables = new java.util.LinkedHashMap<>();
    String text;
    try {
      text = java.nio.file.Files.readString(spec.file());
    } catch (java.io.IOException e) {
      return variables;
    }
    java.util.regex.Matcher matcher = VARIABLE.matcher(text);
    while (matcher.find()) {
      String name = matcher.group(1);
      if (!name.startsWith("AWS_")) {
        variables.putIfAbsent(name, java.util.Optional.ofNullable(matcher.group(2)));
      }
    }
    return variables;
  }

  /** The stack parameter of a variable: letters and digits only, as CloudFormation asks. */
  private static String parameterOf(String variable) {
    return "Env" + variable.replaceAll("[^A-Za-z0-9]", "");
  }

  private String functionName() {
    String name =
        "bucketload-" + spec.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  private String pipelineKey() {
    return "bucketload/" + spec.name() + ".yaml";
  }

  private String pipelineUri() {
    return resources
        .bucket()
        .map(bucket -> "s3://" + bucket.name() + "/" + pipelineKey())
        .orElse("pipeline.yaml");
  }

  private void tags(ObjectNode properties) {
    properties
        .putArray("Tags")
        .addObject()
        .put("Key", PipelineResources.TAG)
        .put("Value", spec.name());
  }

  /** The parameter, and the condition, of whether the stack creates the shared ledger table. */
  private static final String CREATE_LEDGER = "CreateLedgerTable";

  private static final String CREATES_LEDGER = "CreatesLedgerTable";

  private static ObjectNode resource(ObjectNode out, String logicalId, String type) {
    ObjectNode resource = out.putObject(logicalId);
    resource.put("Type", type);
    return resource.putObject("Properties");
  }

  private static ObjectNode ref(String logicalId) {
    return NODES.objectNode().put("Ref", logicalId);
  }

  private static ObjectNode getAtt(String logicalId, String attribute) {
    ObjectNode node = NODES.objectNode();
    node.putArray("Fn::GetAtt").add(logicalId).add(attribute);
    return node;
  }

  private static ObjectNode sub(String text) {
    return NODES.objectNode().put("Fn::Sub", text);
  }
}
