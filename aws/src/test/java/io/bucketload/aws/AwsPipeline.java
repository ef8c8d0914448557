package io.bucketload.aws;

import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A pipeline from a bucket of the local S3 server into DynamoDB Local, written to a folder and run
 * in-process: what a test needs to load files and look at the result.
 */
public final class AwsPipeline {
  private static final AtomicInteger NEXT = new AtomicInteger();

  private final Path folder;
  private final String bucket;
  private final S3Client s3 = LocalAws.s3();
  private Path file;

  /**
   * Creates a fresh bucket and a pipeline folder.
   *
   * @param folder where the pipeline file goes
   */
  public AwsPipeline(Path folder) {
    this.folder = folder;
    this.bucket = "landing-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
    s3.createBucket(request -> request.bucket(bucket));
  }

  /** The bucket's name. */
  public String bucket() {
    return bucket;
  }

  /** The S3 client. */
  public S3Client s3() {
    return s3;
  }

  /** A fresh table name. */
  public static String table(String stem) {
    return stem + "_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
  }

  /**
   * Writes the pipeline file: {@code body} is everything after {@code name}, with {@code
   * ${S3_ENDPOINT}}, {@code ${DYNAMODB_ENDPOINT}}, {@code ${BUCKET}} replaced.
   */
  public AwsPipeline pipeline(String name, String body) {
    String text =
        ("name: " + name + "\n" + body)
            .replace("${S3_ENDPOINT}", LocalAws.s3Endpoint().toString())
            .replace("${DYNAMODB_ENDPOINT}", LocalAws.dynamoDbEndpoint().toString())
            .replace("${BUCKET}", bucket);
    try {
      file = folder.resolve(name + ".yaml");
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * Writes a pipeline of {@code id, payload} rows (a {@code long} key and a text) from the bucket
   * into a DynamoDB table.
   *
   * @param target the target's settings after {@code type: dynamodb}, e.g. {@code "endpoint: URL,
   *     table: T, mode: upsert"}
   */
  public AwsPipeline idPayloadPipeline(String name, String target) {
    return pipeline(
        name,
        """
        source: {path: "s3://${BUCKET}/", endpoint: "${S3_ENDPOINT}", path_style: true}
        schema:
          key: [id]
          columns:
            - {name: id, type: long}
            - {name: payload, type: string}
        target: {type: dynamodb, TARGET}
        """
            .replace("TARGET", target));
  }

  /** The pipeline file. */
  public Path file() {
    return file;
  }

  /** Uploads an object. */
  public void put(String key, String content) {
    s3.putObject(
        request -> request.bucket(bucket).key(key),
        RequestBody.fromString(content, StandardCharsets.UTF_8));
  }

  /**
   * The S3 event notification S3 sends for a new object of this bucket, as an SQS message body; the
   * key URL-encoded as S3 encodes it.
   */
  public String objectCreatedEvent(String key) {
    String encoded = key.replace("%", "%25").replace("+", "%2B").replace(" ", "+");
    return """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3",
        "awsRegion":"us-east-1","eventTime":"2026-11-21T08:00:00.000Z",
        "eventName":"ObjectCreated:Put",
        "s3":{"s3SchemaVersion":"1.0","configurationId":"landing",
        "bucket":{"name":"BUCKET","arn":"arn:aws:s3:::BUCKET"},
        "object":{"key":"KEY","size":42,"eTag":"0123"}}}]}
        """
        .replace("BUCKET", bucket)
        .replace("KEY", encoded);
  }

  /** Whether an object exists. */
  public boolean exists(String key) {
    return s3.listObjectsV2(request -> request.bucket(bucket).prefix(key)).contents().stream()
        .anyMatch(object -> object.key().equals(key));
  }

  /** An object's text. */
  public String read(String key) {
    return s3.getObjectAsBytes(request -> request.bucket(bucket).key(key))
        .asString(StandardCharsets.UTF_8);
  }

  /** Runs the pipeline over the named keys (or every matching object) with the system clock. */
  public RunReport run(String... keys) throws IOException {
    return run(Clock.systemUTC(), keys);
  }

  /** Runs the pipeline over the named keys (or every matching object). */
  public RunReport run(Clock clock, String... keys) throws IOException {
    return run(clock, LoadListener.NONE, keys);
  }

  /**
   * Runs the pipeline over the named keys (or every matching object), telling {@code listener} its
   * progress.
   */
  public RunReport run(Clock clock, LoadListener listener, String... keys) throws IOException {
    PipelineSpec spec = new PipelineSpecReader().read(file);
    try (Pipeline pipeline = Pipeline.open(spec, listener, false, List.of(), clock)) {
      return pipeline.run(List.of(keys), RunOptions.LOAD);
    }
  }
}
