package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.aws.MotoServer;
import io.bucketload.jdbc.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The seed 001 and seed 003 examples provisioned on {@code moto_server} with only {@code
 * AWS_ENDPOINT_URL} pointing at it: the daily set of seed 001 from provision to its load into
 * PostgreSQL through the bucket's events, and seed 003's table and topic (its files come over
 * HTTPS, so it has no bucket or queue).
 */
class ProvisionedSeedsIT {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("user.dir")).getParent().resolve("examples");

  @TempDir Path dir;

  private Map<String, String> environment(Map<String, String> extra) {
    Map<String, String> environment = new HashMap<>(extra);
    environment.put("AWS_ENDPOINT_URL", MotoServer.endpoint().toString());
    environment.put("AWS_ACCESS_KEY_ID", "testing");
    environment.put("AWS_SECRET_ACCESS_KEY", "testing");
    environment.put("AWS_REGION", "us-east-1");
    return environment;
  }

  @Test
  void seed001TheDailySetProvisionedUploadedAndLoadedIntoPostgres() throws Exception {
    String suffix = Long.toString(System.nanoTime(), 36);
    String bucket = "shop-" + suffix;
    String queue = "shop-events-" + suffix;
    String url = PostgresServer.newDatabase();
    Path example = Files.createDirectories(dir.resolve("seed-001-daily"));
    Files.createDirectories(dir.resolve("shop-postgres"));
    Files.copy(
        EXAMPLES.resolve("shop-postgres/analytics.sql"),
        dir.resolve("shop-postgres/analytics.sql"));
    Files.writeString(
        example.resolve("pipeline.yaml"),
        Files.readString(EXAMPLES.resolve("seed-001-daily/pipeline.yaml"))
            .replace("min_interval: 1 day", "min_interval: 1 day\n  wait_seconds: 1"));
    Map<String, String> environment =
        environment(
            Map.of(
                "BUCKET", bucket,
                "QUEUE_URL", queue,
                "PGURL", url,
                "PGUSER", "postgres",
                "PGPASSWORD", "postgres"));

    CliProcess.Result provisioned =
        CliProcess.run(example, environment, "provision", "pipeline.yaml");
    assertThat(provisioned.exitCode()).as(provisioned.out() + provisioned.err()).isZero();
    assertThat(provisioned.out())
        .contains("created       bucket            " + bucket)
        .contains("created       queue             " + queue)
        .contains("(s3:ObjectCreated:* under 'shop/' to " + queue + ")")
        .contains("created       schema            staging");

    try (S3Client s3 = MotoServer.configure(S3Client.builder()).forcePathStyle(true).build();
        SqsClient sqs = MotoServer.configure(SqsClient.builder()).build()) {
      // moto_server speaks plain HTTP, which the TLS-only bucket policy refuses.
      s3.deleteBucketPolicy(r -> r.bucket(bucket));
      String queueUrl = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
      String[] files = new String[2 + 3];
      files[0] = "upload";
      files[1] = "pipeline.yaml";
      int i = 2;
      for (String kind : new String[] {"orders", "reviews", "shipments"}) {
        files[i++] =
            EXAMPLES.resolve("shop-postgres/landing/" + kind + "_2026-11-20.csv").toString();
      }
      CliProcess.Result uploaded = CliProcess.run(example, environment, files);
      assertThat(uploaded.exitCode()).as(uploaded.out() + uploaded.err()).isZero();
      ProvisionedPipelineIT.waitForMessages(sqs, queueUrl, 3);

      CliProcess.Result served =
          CliProcess.run(example, environment, "serve", "pipeline.yaml", "--once");
      assertThat(served.exitCode()).as(served.out() + served.err()).isZero();
      assertThat(served.out()).contains("3 loaded");
      assertThat(PostgresServer.query(url, "SELECT count(*) > 0 FROM staging.orders"))
          .containsExactly("t");
      assertThat(
              PostgresServer.query(url, "SELECT count(*) > 0 FROM analytics.product_performance"))
          .containsExactly("t");

      CliProcess.Result gone =
          CliProcess.run(
              example,
              environment,
              "teardown",
              "pipeline.yaml",
              "--delete-data",
              "--yes",
              "shop-daily");
      assertThat(gone.exitCode()).as(gone.out() + gone.err()).isZero();
      assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
      assertThat(sqs.listQueues(r -> r.queueNamePrefix(queue)).queueUrls()).isEmpty();
    }
  }

  @Test
  void seed003ItsTableAndTopicAreMadeAndRemoved() throws Exception {
    String suffix = Long.toString(System.nanoTime(), 36);
    String topic = "arn:aws:sns:us-east-1:123456789012:etl-status-" + suffix;
    Path example = Files.createDirectories(dir.resolve("seed-003-covid"));
    Files.writeString(
        example.resolve("pipeline.yaml"),
        Files.readString(EXAMPLES.resolve("seed-003-covid/pipeline.yaml"))
            .replace("table: covid-us", "table: covid-us-" + suffix));
    Map<String, String> environment = environment(Map.of("TOPIC_ARN", topic));

    CliProcess.Result provisioned =
        CliProcess.run(example, environment, "provision", "pipeline.yaml");
    assertThat(provisioned.exitCode()).as(provisioned.out() + provisioned.err()).isZero();
    assertThat(provisioned.out())
        .contains("created       table             covid-us-" + suffix + "  (key date (S)")
        .contains("created       topic             " + topic);
    CliProcess.Result again = CliProcess.run(example, environment, "provision", "pipeline.yaml");
    assertThat(again.out()).as(again.out() + again.err()).contains("nothing to change");

    CliProcess.Result gone =
        CliProcess.run(
            example,
            environment,
            "teardown",
            "pipeline.yaml",
            "--delete-data",
            "--yes",
            "covid-us");
    assertThat(gone.exitCode()).as(gone.out() + gone.err()).isZero();
    try (DynamoDbClient dynamoDb = MotoServer.configure(DynamoDbClient.builder()).build();
        SnsClient sns = MotoServer.configure(SnsClient.builder()).build()) {
      assertThat(dynamoDb.listTables().tableNames()).doesNotContain("covid-us-" + suffix);
      assertThat(sns.listTopics().topics()).noneMatch(t -> t.topicArn().equals(topic));
    }
  }
}
