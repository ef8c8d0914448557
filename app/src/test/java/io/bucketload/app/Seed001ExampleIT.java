package io.bucketload.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.aws.AwsPipeline;
import io.bucketload.aws.LocalAws;
import io.bucketload.jdbc.postgres.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The served example for seed 001, run as documented with its local-server lines switched on: S3
 * events start the load of the daily set into PostgreSQL, and events that arrive within a day of
 * the last run wait in the queue instead of loading.
 */
class Seed001ExampleIT {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("user.dir")).getParent().resolve("examples");

  @TempDir Path dir;

  @Test
  void theDailySetLoadsOnItsEventsAndTheNextDaysEventsWaitForMinInterval() throws Exception {
    AwsPipeline aws = new AwsPipeline(dir);
    SqsClient sqs = LocalAws.sqs();
    String queue =
        sqs.createQueue(request -> request.queueName("shop-" + System.nanoTime())).queueUrl();
    String url = PostgresServer.newDatabase();
    Path example = Files.createDirectories(dir.resolve("seed-001-daily"));
    Files.createDirectories(dir.resolve("shop-postgres"));
    Files.copy(
        EXAMPLES.resolve("shop-postgres/analytics.sql"),
        dir.resolve("shop-postgres/analytics.sql"));
    Files.writeString(
        example.resolve("pipeline.yaml"),
        Files.readString(EXAMPLES.resolve("seed-001-daily/pipeline.yaml"))
            .replace("# endpoint: http://127.0.0.1:9000", "endpoint: " + LocalAws.s3Endpoint())
            .replace("# path_style: true", "path_style: true")
            .replace(
                "# endpoint: http://127.0.0.1:9324",
                "endpoint: " + LocalAws.sqsEndpoint() + "\n  wait_seconds: 1"));
    Map<String, String> environment =
        Map.of(
            "BUCKET", aws.bucket(),
            "QUEUE_URL", queue,
            "PGURL", url,
            "PGUSER", "postgres",
            "PGPASSWORD", "postgres",
            "AWS_ACCESS_KEY_ID", "localTestKey",
            "AWS_SECRET_ACCESS_KEY", "localTestSecret",
            "AWS_REGION", "us-east-1");
    for (String kind : new String[] {"orders", "reviews", "shipments"}) {
      String name = kind + "_2026-11-20.csv";
      aws.put("shop/" + name, Files.readString(EXAMPLES.resolve("shop-postgres/landing/" + name)));
      sqs.sendMessage(r -> r.queueUrl(queue).messageBody(aws.objectCreatedEvent("shop/" + name)));
    }

    CliProcess.Result first =
        CliProcess.run(example, environment, "serve", "pipeline.yaml", "--once");
    String orders = PostgresServer.query(url, "SELECT count(*) FROM staging.orders").get(0);
    aws.put(
        "shop/orders_2026-11-21.csv",
        "order_id,customer_id,order_date,product_id,unit_price,quantity,total_price\n1,1,2026-11-21,1,1.00,1,1.00\n");
    sqs.sendMessage(
        r -> r.queueUrl(queue).messageBody(aws.objectCreatedEvent("shop/orders_2026-11-21.csv")));
    CliProcess.Result second =
        CliProcess.run(example, environment, "serve", "pipeline.yaml", "--once");

    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("3 loaded");
    assertThat(Integer.parseInt(orders)).isPositive();
    assertThat(PostgresServer.query(url, "SELECT count(*) > 0 FROM analytics.product_performance"))
        .containsExactly("t");
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.err()).contains("held until").contains("trigger.min_interval 1 day");
    assertThat(PostgresServer.query(url, "SELECT count(*) FROM staging.orders"))
        .as("the next day's set waits")
        .containsExactly(orders);
    Map<QueueAttributeName, String> left =
        sqs.getQueueAttributes(
                r ->
                    r.queueUrl(queue)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    assertThat(
            Integer.parseInt(left.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(
                    left.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)))
        .as("the held event stays in the queue")
        .isEqualTo(1);
  }
}
