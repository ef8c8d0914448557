package io.bucketload.aws.provision;

import io.bucketload.aws.AwsClients;
import io.bucketload.aws.S3SourceFactory;
import io.bucketload.core.spec.Settings;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The clients of the services a pipeline's resources live in, each built from the settings of the
 * section that names the resource, made on first use and closed together. Not thread-safe.
 */
final class AwsClientSet implements AutoCloseable {
  private final PipelineResources resources;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private S3Client s3;
  private SqsClient sqs;
  private DynamoDbClient dynamoDb;

  AwsClientSet(PipelineResources resources) {
    this.resources = resources;
  }

  S3Client s3() {
    if (s3 == null) {
      s3 = S3SourceFactory.client(resources.bucket().orElseThrow().settings());
      opened.add(s3);
    }
    return s3;
  }

  SqsClient sqs() {
    if (sqs == null) {
      sqs =
          AwsClients.configure(SqsClient.builder(), resources.queue().orElseThrow().settings())
              .build();
      opened.add(sqs);
    }
    return sqs;
  }

  DynamoDbClient dynamoDb() {
    if (dynamoDb == null) {
      dynamoDb =
          AwsClients.configure(DynamoDbClient.builder(), resources.tables().get(0).settings())
              .build();
      opened.add(dynamoDb);
    }
    return dynamoDb;
  }

  /** A client of the topic's region, with the channel's endpoint. */
  SnsClient sns(PipelineResources.Topic topic) {
    Settings settings = topic.settings();
    if (settings.get("region").isEmpty()) {
      settings = settings.with("region", topic.region());
    }
    SnsClient client = AwsClients.configure(SnsClient.builder(), settings).build();
    opened.add(client);
    return client;
  }

  @Override
  public void close() {
    for (AutoCloseable client : opened) {
      try {
        client.close();
      } catch (Exception e) {
        // Closing an SDK client releases its HTTP connections; nothing else depends on it.
      }
    }
  }
}
