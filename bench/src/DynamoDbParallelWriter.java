import io.bucketload.aws.AwsClients;
import java.io.BufferedReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The ceiling for bucketload's DynamoDB writes: a plain parallel SDK writer with no validation,
 * no ledger and no report. Reads the benchmark's simple CSV (no quoting) with String.split,
 * creates the table, and writes typed items in batches of 25 from THREADS threads, retrying
 * unprocessed items. Uses bucketload's HTTP client settings (AwsClients.httpClient(): idle
 * connections kept for reuse, where the JDK keeps 5): a ceiling that reopened connections would
 * not be one. Usage: DynamoDbParallelWriter ENDPOINT TABLE CSV THREADS
 */
public final class DynamoDbParallelWriter {
  private static final List<WriteRequest> END = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    URI endpoint = URI.create(args[0]);
    String table = args[1];
    Path csv = Path.of(args[2]);
    int threads = Integer.parseInt(args[3]);
    DynamoDbClient client =
        DynamoDbClient.builder()
            .httpClient(AwsClients.httpClient())
            .region(Region.US_EAST_1)
            .endpointOverride(endpoint)
            .build();
    client.createTable(
        r ->
            r.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(
                    KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("id")
                        .attributeType(ScalarAttributeType.N)
                        .build()));
    client.waiter().waitUntilTableExists(r -> r.tableName(table));
    BlockingQueue<List<WriteRequest>> queue = new ArrayBlockingQueue<>(threads * 4);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (List<WriteRequest> batch = queue.take(); batch != END; batch = queue.take()) {
                    List<WriteRequest> remaining = batch;
                    while (!remaining.isEmpty()) {
                      List<WriteRequest> sent = remaining;
                      remaining =
                          client
                              .batchWriteItem(r -> r.requestItems(Map.of(table, sent)))
                              .unprocessedItems()
                              .getOrDefault(table, List.of());
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      worker.start();
      workers.add(worker);
    }
    long rows = 0;
    try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String[] header = reader.readLine().split(",");
      List<WriteRequest> batch = new ArrayList<>(25);
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] fields = line.split(",", -1);
        Map<String, AttributeValue> item = new java.util.HashMap<>();
        item.put(header[0], AttributeValue.fromN(fields[0]));
        item.put(header[1], AttributeValue.fromS(fields[1]));
        item.put(header[2], AttributeValue.fromN(fields[2]));
        item.put(header[3], AttributeValue.fromN(fields[3]));
        item.put(header[4], AttributeValue.fromS(fields[4]));
        item.put(header[5], AttributeValue.fromS(fields[5]));
        batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        rows++;
        if (batch.size() == 25) {
          queue.put(batch);
          batch = new ArrayList<>(25);
        }
      }
      if (!batch.isEmpty()) {
        queue.put(batch);
      }
    }
    for (int t = 0; t < threads; t++) {
      queue.put(END);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    System.out.println(rows + " items written");
  }
}
