package io.bucketload.aws.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Templates for the seed shapes, each checked with {@code cfn-lint} (installed on the build
 * machines) and read back: resources, events, and an IAM policy with no {@code *} action or
 * resource. Written under {@code target/templates/} for people to look at.
 */
class TemplateWriterIT {
  private static final Path OUT = Path.of("target", "templates");

  private static final String S3_TO_DYNAMODB =
      """
      name: customers
      source: {path: "s3://${BUCKET}/customers/", match: "*.csv"}
      schema:
        key: [customer_id]
        columns:
          - {name: customer_id, type: long, required: true}
          - {name: email, type: string}
      target: {type: dynamodb, table: customers, mode: sync}
      trigger: {sqs: shop-events, max_receive_count: 3}
      notify:
        - sns: {topic: "arn:aws:sns:eu-west-1:123456789012:${TOPIC:-etl-status}"}
      """;

  private static final String HTTPS_SCHEDULE =
      """
      name: covid-us
      inputs:
        - name: us
          url: https://example.org/us.csv
          schema: {columns: [{name: date, type: date}, {name: cases, type: long}]}
        - name: recovered
          url: https://example.org/recovered.csv
          schema: {columns: [{name: Date, type: date}, {name: Recovered, type: long}]}
      transform:
        - sql: select us.date, us.cases, r."Recovered" from us join recovered r on r."Date" = us.date
      schema: {key: [date]}
      target: {type: dynamodb, table: covid-us, mode: insert_new}
      trigger: {schedule: rate(5 days)}
      notify: [{sns: {topic: "arn:aws:sns:us-east-1:123456789012:etl-status"}}]
      """;

  private JsonNode write(String name, String yaml, TemplateWriter.Consumer consumer)
      throws Exception {
    Files.createDirectories(OUT);
    Path pipeline = OUT.resolve(name + "-pipeline.yaml");
    Files.writeString(pipeline, yaml, StandardCharsets.UTF_8);
    PipelineSpec spec =
        new PipelineSpecReader(
                Map.of("BUCKET", "shop-landing", "QUEUE", "shop-events", "TOPIC", "etl-status")
                    ::get)
            .read(pipeline);
    String template = new TemplateWriter(spec, PipelineResources.of(spec)).write(consumer);
    Files.createDirectories(OUT);
    Path file = OUT.resolve(name + ".yaml");
    Files.writeString(file, template, StandardCharsets.UTF_8);
    Process lint =
        new ProcessBuilder("cfn-lint", "--format", "parseable", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();
    // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational.
    assertThat(lint.exitValue() & 2).as(output + "\n" + template).isZero();
    assertThat(output).as(template).doesNotContain(":E");
    return new YAMLMapper().readTree(template);
  }

  private static List<JsonNode> statements(JsonNode template) {
    List<JsonNode> all = new ArrayList<>();
    template
        .get("Resources")
        .forEach(
            resource -> {
              JsonNode policies = resource.path("Properties").path("Policies");
              policies.forEach(
                  policy -> policy.path("PolicyDocument").path("Statement").forEach(all::add));
            });
    return all;
  }

  private static void leastPrivilege(List<JsonNode> statements) {
    assertThat(statements).isNotEmpty();
    for (JsonNode statement : statements) {
      assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
      statement.get("Action").forEach(action -> assertThat(action.asText()).doesNotContain("*"));
      JsonNode resource = statement.get("Resource");
      List<JsonNode> resources = new ArrayList<>();
      if (resource.isArray()) {
        resource.forEach(resources::add);
      } else {
        resources.add(resource);
      }
      for (JsonNode one : resources) {
        if (one.isTextual()) {
          assertThat(one.asText())
              .as(statement.toString())
              .isNotEqualTo("*")
              .doesNotEndWith(":*")
              .doesNotContain(":::*");
        }
      }
    }
  }

  @Test
  void anS3PipelineForLambdaHasItsResourcesAnSqsEventWithPartialFailuresAndALeastPrivilegePolicy()
      throws Exception {
    JsonNode template = write("s3-lambda", S3_TO_DYNAMODB, TemplateWriter.Consumer.LAMBDA);
    JsonNode resources = template.get("Resources");
    assertThat(template.get("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
    JsonNode bucket = resources.get("Bucket").get("Properties");
    assertThat(bucket.get("BucketName").asText()).isEqualTo("shop-landing");
    assertThat(bucket.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
    JsonNode rules =
        bucket.at("/NotificationConfiguration/QueueConfigurations/0/Filter/S3Key/Rules");
    assertThat(rules.toString()).contains("\"prefix\"").contains("customers/").contains(".csv");
    assertThat(resources.at("/Queue/Properties/VisibilityTimeout").asInt()).isEqualTo(5400);
    assertThat(resources.at("/Queue/Properties/RedrivePolicy/maxReceiveCount").asInt())
        .isEqualTo(3);
    assertThat(resources.at("/Table/Properties/AttributeDefinitions/0/AttributeType").asText())
        .isEqualTo("N");
    JsonNode function = resources.get("Function").get("Properties");
    assertThat(function.at("/Events/Queue/Properties/FunctionResponseTypes/0").asText())
        .isEqualTo("ReportBatchItemFailures");
    assertThat(function.get("Timeout").asInt()).isEqualTo(900);
    assertThat(function.at("/Environment/Variables/BUCKET/Ref").asText()).isEqualTo("EnvBUCKET");
    assertThat(template.at("/Parameters/EnvBUCKET").has("Default"))
        .as("no value from the environment is written into the template")
        .isFalse();
    assertThat(template.at("/Parameters/EnvTOPIC/Default").asText()).isEqualTo("etl-status");
    assertThat(function.has("ReservedConcurrentExecutions")).isTrue();
    // The ledger table is shared: a second pipeline's stack is deployed without creating it.
    assertThat(resources.at("/LedgerTable/Condition").asText()).isEqualTo("CreatesLedgerTable");
    assertThat(template.at("/Parameters/CreateLedgerTable/Default").asText()).isEqualTo("true");
    assertThat(template.at("/Conditions/CreatesLedgerTable/Fn::Equals/0/Ref").asText())
        .isEqualTo("CreateLedgerTable");
    List<JsonNode> statements = statements(template);
    leastPrivilege(statements);
    String policy = statements.toString();
    assertThat(policy)
        .contains("arn:aws:s3:::shop-landing/customers/*")
        .contains("sqs:ChangeMessageVisibility")
        .contains("sqs:GetQueueUrl")
        .contains("dynamodb:Scan")
        .contains("sns:Publish")
        .contains(
            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/"
                + "bucketload_ledger")
        .doesNotContain("dynamodb:CreateTable");
  }

  @Test
  void anHttpsSetOnASchedulePublishesWithAScheduleEventAndTheServiceRoleForTheSameS3Pipeline()
      throws Exception {
    JsonNode scheduled = write("https-schedule", HTTPS_SCHEDULE, TemplateWriter.Consumer.LAMBDA);
    JsonNode function = scheduled.at("/Resources/Function/Properties");
    // The handler runs every file on a scheduled event (HandlerIT.aScheduledEventLoads...).
    assertThat(function.at("/Events/Schedule1/Properties/Schedule").asText())
        .isEqualTo("rate(5 days)");
    assertThat(scheduled.get("Resources").has("Bucket")).isFalse();
    leastPrivilege(statements(scheduled));

    JsonNode service = write("s3-service", S3_TO_DYNAMODB, TemplateWriter.Consumer.SERVICE);
    assertThat(service.has("Transform")).isFalse();
    assertThat(service.at("/Resources/ServiceRole/Properties/AssumeRolePolicyDocument").toString())
        .contains("ecs-tasks.amazonaws.com");
    assertThat(service.at("/Resources/Queue/Properties/VisibilityTimeout").asInt()).isEqualTo(300);
    leastPrivilege(statements(service));
  }
}
