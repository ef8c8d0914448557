package io.bucketload.aws.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.aws.AwsPipeline;
import io.bucketload.aws.LocalAws;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.trigger.Delivery;
import io.bucketload.core.trigger.Trigger;
import io.bucketload.core.trigger.TriggeredRuns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SqsTriggerIT {
  @TempDir Path folder;
  private final SqsClient sqs = LocalAws.sqs();
  private final DynamoDbClient dynamoDb = LocalAws.dynamoDb();
  private AwsPipeline aws;
  private String table;
  private String queueUrl;

  @BeforeEach
  void setUp() {
    aws = new AwsPipeline(folder);
    table = AwsPipeline.table("events");
    queueUrl =
        sqs.createQueue(
                request ->
                    request
                        .queueName("landing-" + System.nanoTime())
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1")))
            .queueUrl();
    aws.pipeline(
        "events",
        """
        source:
          path: s3://${BUCKET}/incoming/
          match: "*.csv"
          endpoint: ${S3_ENDPOINT}
          path_style: true
        schema:
          key: [id]
          columns:
            - {name: id, type: long}
            - {name: name, type: string}
        target: {type: dynamodb, endpoint: "${DYNAMODB_ENDPOINT}", table: TABLE, mode: upsert}
        trigger: {sqs: "QUEUE", endpoint: "SQS_ENDPOINT", wait_seconds: 1}
        """
            .replace("TABLE", table)
            .replace("QUEUE", queueUrl)
            .replace("SQS_ENDPOINT", LocalAws.sqsEndpoint().toString()));
  }

  @AfterEach
  void tearDown() {
    sqs.deleteQueue(request -> request.queueUrl(queueUrl));
  }

  /** What one poll received and what became of it. */
  private record Poll(int received, int acknowledged, int released, List<RunReport> reports) {}

  /** One consumer: the pipeline, its trigger, and the runs that settle deliveries. */
  private final class Consumer implements AutoCloseable {
    final PipelineSpec spec = new PipelineSpecReader().read(aws.file());
    final Pipeline pipeline;
    final TriggeredRuns runs;
    final Trigger trigger = new SqsTriggerFactory().open(spec.triggers().get(0));

    Consumer() {
      this(LoadListener.NONE);
    }

    Consumer(LoadListener listener) {
      pipeline = Pipeline.open(spec, listener);
      runs = new TriggeredRuns(pipeline, TriggeredRuns.DEFAULT_BACKOFF);
    }

    Poll poll() throws Exception {
      List<Delivery> deliveries = trigger.poll();
      int acknowledged = 0;
      List<RunReport> reports = new ArrayList<>();
      for (Delivery delivery : deliveries) {
        TriggeredRuns.Handled handled = runs.handle(delivery);
        handled.report().ifPresent(reports::add);
        acknowledged += handled.acknowledged() ? 1 : 0;
      }
      return new Poll(deliveries.size(), acknowledged, deliveries.size() - acknowledged, reports);
    }

    @Override
    public void close() {
      trigger.close();
      pipeline.close();
    }
  }

  private void send(String key) {
    sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(aws.objectCreatedEvent(key)));
  }

  private int messagesLeft() {
    Map<QueueAttributeName, String> attributes =
        sqs.getQueueAttributes(
                request ->
                    request
                        .queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(
            attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private long items() {
    return dynamoDb.scanPaginator(request -> request.tableName(table).select("COUNT")).stream()
        .mapToLong(page -> page.count())
        .sum();
  }

  /**
   * A load that outlasts the queue's 1 s visibility timeout several times over: the message stays
   * invisible while the file is in hand, so a second worker polling all along never receives it.
   */
  @Test
  void aSlowLoadKeepsItsMessageFromOtherWorkersUntilItIsDone() throws Exception {
    aws.put("incoming/slow.csv", "id,name\n1,a\n2,b\n");
    send("incoming/slow.csv");
    java.util.concurrent.CountDownLatch loading = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
    LoadListener slow =
        new LoadListener() {
          @Override
          public void fileStarted(io.bucketload.core.source.SourceObject object) {
            loading.countDown();
            try {
              finish.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Consumer first = new Consumer(slow);
        Consumer second = new Consumer()) {
      Future<Poll> inHand = pool.submit(first::poll);
      assertThat(loading.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      int secondReceived = 0;
      long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < until) {
        secondReceived += second.trigger.poll().size(); // waits up to 1 s for a message
      }
      finish.countDown();
      Poll done = inHand.get(60, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(secondReceived).as("received by the second worker mid-load").isZero();
      assertThat(done.acknowledged()).isEqualTo(1);
      assertThat(done.reports().get(0).files().get(0).status()).isEqualTo(FileStatus.LOADED);
      assertThat(second.poll().received()).as("after the load").isZero();
    } finally {
      finish.countDown();
      pool.shutdownNow();
    }
    assertThat(items()).isEqualTo(2);
    assertThat(messagesLeft()).isZero();
  }

  @Test
  void loadsAnObjectWhoseKeyIsUrlEncodedAndDeletesItsMessage() throws Exception {
    aws.put("incoming/day 1+final.csv", "id,name\n1,a\n2,b\n");
    send("incoming/day 1+final.csv");

    try (Consumer consumer = new Consumer()) {
      Poll poll = consumer.poll();

      assertThat(poll.received()).isEqualTo(1);
      assertThat(poll.acknowledged()).isEqualTo(1);
      FileReport file = poll.reports().get(0).files().get(0);
      assertThat(file.file()).isEqualTo("day 1+final.csv");
      assertThat(file.status()).isEqualTo(FileStatus.LOADED);
    }
    assertThat(items()).isEqualTo(2);
    assertThat(messagesLeft()).isZero();
  }

  @Test
  void aRedeliveredEventIsANoOpAndIsDeleted() throws Exception {
    aws.put("incoming/a.csv", "id,name\n1,a\n");
    send("incoming/a.csv");
    send("incoming/a.csv");

    List<FileStatus> statuses = new ArrayList<>();
    try (Consumer consumer = new Consumer()) {
      while (statuses.size() < 2) {
        consumer.poll().reports().forEach(r -> r.files().forEach(f -> statuses.add(f.status())));
      }
      assertThat(statuses).containsExactly(FileStatus.LOADED, FileStatus.SKIPPED);
      assertThat(consumer.pipeline.target().ledger().history("events", 100))
          .filteredOn(entry -> entry.file().key().equals("a.csv"))
          .extracting(LedgerEntry::status)
          .containsExactly(FileStatus.LOADED);
    }
    assertThat(messagesLeft()).isZero();
  }

  @Test
  void eventsOutsideTheMatchAreAcknowledgedAndIgnored() throws Exception {
    aws.put("incoming/readme.txt", "not data");
    aws.put("elsewhere/a.csv", "id,name\n1,a\n");
    send("incoming/readme.txt");
    send("elsewhere/a.csv");
    sqs.sendMessage(
        request ->
            request
                .queueUrl(queueUrl)
                .messageBody(
                    "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"b\"}"));

    try (Consumer consumer = new Consumer()) {
      int acknowledged = 0;
      // The test event names no object: its delivery is acknowledged without a run.
      for (int polls = 0; polls < 20 && (acknowledged < 3 || messagesLeft() > 0); polls++) {
        Poll poll = consumer.poll();
        assertThat(poll.reports()).isEmpty();
        assertThat(poll.released()).isZero();
        acknowledged += poll.acknowledged();
      }
      assertThat(acknowledged).isEqualTo(3);
    }
    assertThat(messagesLeft()).isZero();
    assertThat(dynamoDb.listTables().tableNames()).doesNotContain(table);
  }

  @Test
  void aFileThatFailsOnItsDataIsAcknowledgedAndARedeliveryDoesNotReadItAgain() throws Exception {
    aws.put("incoming/bad.csv", "name\nno id column\n");
    send("incoming/bad.csv");

    try (Consumer consumer = new Consumer()) {
      Poll poll = consumer.poll();

      assertThat(poll.received()).isEqualTo(1);
      assertThat(poll.acknowledged()).isEqualTo(1);
      FileReport file = poll.reports().get(0).files().get(0);
      assertThat(file.outcome()).isInstanceOf(FileOutcome.FailedOnData.class);
      assertThat(file.error().orElseThrow()).contains("id");
      assertThat(messagesLeft()).isZero();

      send("incoming/bad.csv");
      Poll again = consumer.poll();
      assertThat(again.acknowledged()).isEqualTo(1);
      FileReport repeated = again.reports().get(0).files().get(0);
      assertThat(repeated.error().orElseThrow()).contains("failed before");
      assertThat(repeated.rowsRead()).isZero();
      assertThat(consumer.pipeline.target().ledger().history("events", 100))
          .filteredOn(entry -> entry.file().key().equals("bad.csv"))
          .hasSize(1)
          .allSatisfy(entry -> assertThat(entry.failedOnData()).isTrue());
    }
    assertThat(messagesLeft()).isZero();
  }

  @Test
  void twoConsumersOnOneQueueLoadEachFileOnce() throws Exception {
    int files = 6;
    for (int f = 0; f < files; f++) {
      StringBuilder csv = new StringBuilder("id,name\n");
      for (int i = 0; i < 2000; i++) {
        csv.append(f * 10_000 + i).append(",row\n");
      }
      aws.put("incoming/part-" + f + ".csv", csv.toString());
    }
    for (int f = 0; f < files; f++) {
      send("incoming/part-" + f + ".csv");
      send("incoming/part-" + f + ".csv");
    }

    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<List<FileReport>>> results = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      results.add(
          pool.submit(
              () -> {
                List<FileReport> reports = new ArrayList<>();
                try (Consumer consumer = new Consumer()) {
                  int idle = 0;
                  while (idle < 3) {
                    Poll poll = consumer.poll();
                    poll.reports().forEach(r -> reports.addAll(r.files()));
                    idle = poll.received() == 0 && messagesLeft() == 0 ? idle + 1 : 0;
                  }
                }
                return reports;
              }));
    }
    List<FileReport> all = new ArrayList<>();
    for (Future<List<FileReport>> result : results) {
      all.addAll(result.get());
    }
    pool.shutdown();

    Map<String, Long> loaded =
        all.stream()
            .filter(file -> file.status() == FileStatus.LOADED)
            .collect(Collectors.groupingBy(FileReport::file, Collectors.counting()));
    assertThat(loaded).hasSize(files).allSatisfy((file, times) -> assertThat(times).isOne());
    assertThat(items()).isEqualTo(files * 2000L);
    assertThat(messagesLeft()).isZero();
  }
}
