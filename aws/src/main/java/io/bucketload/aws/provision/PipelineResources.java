package io.bucketload.aws.provision;

import io.bucketload.aws.S3Location;
import io.bucketload.aws.dynamodb.DynamoDbTargetFactory;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.spec.InputSpec;
import io.bucketload.core.spec.NotifySpec;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.TriggerSpec;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.core.transform.RowShape;
import io.bucketload.core.transform.ShapeException;
import io.bucketload.core.workspace.Workspaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The AWS resources a pipeline uses, named and shaped by its file: nothing here is configured
 * twice.
 *
 * @param pipeline the pipeline's name, which tags what {@code provision} makes
 * @param bucket the source bucket, for an {@code s3://} source
 * @param queue the queue of an {@code sqs} trigger
 * @param tables the DynamoDB tables of a {@code dynamodb} target (one per table the pipeline loads)
 * @param ledgerTable the DynamoDB ledger table, for a {@code dynamodb} target
 * @param topics the topics of {@code sns} notification channels
 */
public record PipelineResources(
    String pipeline,
    Optional<Bucket> bucket,
    Optional<Queue> queue,
    List<Table> tables,
    Optional<String> ledgerTable,
    List<Topic> topics) {
  /** The tag every resource {@code provision} makes carries, with the pipeline's name. */
  public static final String TAG = "bucketload:pipeline";

  /**
   * The tag of a ledger table {@code provision} makes: shared by every pipeline that names it, so
   * it carries no pipeline's name.
   */
  public static final String LEDGER_TAG = "bucketload:ledger";

  /** The dead-letter queue's name: the queue's with this suffix. */
  public static final String DEAD_LETTER_SUFFIX = "-dlq";

  /** Copies the lists. */
  public PipelineResources {
    tables = List.copyOf(tables);
    topics = List.copyOf(topics);
  }

  /**
   * The source bucket.
   *
   * @param name the bucket
   * @param prefix the source's prefix (empty or ending in {@code /})
   * @param match the source's {@code match}, relative to the prefix
   * @param eventPrefix the key prefix of the event notification: the source's prefix and the fixed
   *     start of {@code source.match}
   * @param eventSuffix the key suffix of the notification: the fixed end of {@code source.match},
   *     when it has one
   * @param settings the source's settings ({@code region}, {@code endpoint}, {@code path_style})
   */
  public record Bucket(
      String name,
      String prefix,
      String match,
      String eventPrefix,
      Optional<String> eventSuffix,
      Settings settings) {
    /** The bucket's ARN. */
    public String arn() {
      return "arn:aws:s3:::" + name;
    }
  }

  /**
   * The queue of S3 events and its dead-letter queue.
   *
   * @param name the queue's name
   * @param region the region its URL names, when given by URL
   * @param maxReceiveCount receives before a message moves to the dead-letter queue
   * @param visibilitySeconds the queue's visibility timeout
   * @param settings the trigger's settings ({@code region}, {@code endpoint})
   */
  public record Queue(
      String name,
      Optional<String> region,
      int maxReceiveCount,
      int visibilitySeconds,
      Settings settings) {
    /** The dead-letter queue's name. */
    public String deadLetterName() {
      return name.endsWith(".fifo")
          ? name.substring(0, name.length() - 5) + DEAD_LETTER_SUFFIX + ".fifo"
          : name + DEAD_LETTER_SUFFIX;
    }
  }

  /**
   * A DynamoDB table.
   *
   * @param name the table
   * @param key its partition key and, optionally, its sort key
   * @param settings the target's settings ({@code region}, {@code endpoint})
   */
  public record Table(String name, List<KeyAttribute> key, Settings settings) {
    /** Copies the key. */
    public Table {
      key = List.copyOf(key);
    }
  }

  /**
   * A key attribute.
   *
   * @param name the attribute
   * @param number whether it is a number ({@code N}), else text ({@code S})
   */
  public record KeyAttribute(String name, boolean number) {
    /** DynamoDB's type letter. */
    public String type() {
      return number ? "N" : "S";
    }
  }

  /**
   * An SNS topic.
   *
   * @param arn the topic's ARN
   * @param settings the channel's settings ({@code endpoint})
   */
  public record Topic(String arn, Settings settings) {
    /** The topic's name, the ARN's last part. */
    public String name() {
      return arn.substring(arn.lastIndexOf(':') + 1);
    }

    /** The topic's region, from its ARN. */
    public String region() {
      return arn.split(":")[3];
    }
  }

  /**
   * Derives the resources from a checked pipeline.
   *
   * @throws ConfigException when the pipeline names something AWS cannot have
   */
  public static PipelineResources of(PipelineSpec spec) {
    Optional<Bucket> bucket = Optional.empty();
    if (spec.source().scheme().equals("s3")) {
      S3Location location = S3Location.parse(spec.source().path());
      String match = spec.source().match();
      bucket =
          Optional.of(
              new Bucket(
                  location.bucket(),
                  location.prefix(),
                  match,
                  location.prefix() + fixedStart(match),
                  fixedEnd(match),
                  spec.source().settings()));
    }
    Optional<Queue> queue = Optional.empty();
    for (TriggerSpec trigger : spec.triggers()) {
      if (trigger.type().equals("sqs")) {
        Settings settings = trigger.settings();
        queue =
            Optional.of(
                new Queue(
                    queueName(trigger.address()),
                    queueRegion(trigger.address()),
                    (int) settings.number("max_receive_count", 5, 1, 1000),
                    (int) settings.number("visibility_timeout", 300, 0, 43200),
                    settings));
      }
    }
    List<Table> tables = new ArrayList<>();
    Optional<String> ledger = Optional.empty();
    if (spec.target().type().equals("dynamodb")) {
      Settings settings = spec.target().settings();
      ledger =
          Optional.of(
              settings.get("ledger_table").orElse(DynamoDbTargetFactory.DEFAULT_LEDGER_TABLE));
      if (spec.query().isPresent()) {
        // Without the workspace (the Lambda package), key columns are taken as text.
        List<TargetColumn> columns =
            Workspaces.available() ? Workspaces.resultColumns(spec).orElse(List.of()) : List.of();
        tables.add(
            new Table(
                spec.query().get().table(), keyOf(spec.query().get().key(), columns), settings));
      } else {
        for (InputSpec input : spec.inputs()) {
          tables.add(new Table(input.table(), keyOf(input), settings));
        }
      }
    }
    List<Topic> topics = new ArrayList<>();
    for (NotifySpec channel : spec.channels()) {
      if (channel.type().equals("sns")) {
        topics.add(
            new Topic(
                channel.required("topic", "arn:aws:sns:REGION:ACCOUNT:NAME"), channel.settings()));
      }
    }
    return new PipelineResources(spec.name(), bucket, queue, tables, ledger, topics);
  }

  /** The queue's name, from its URL ({@code https://sqs.../ACCOUNT/NAME}) or as given. */
  static String queueName(String address) {
    String trimmed = address.replaceAll("/+$", "");
    String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    if (name.endsWith(".fifo")) {
      throw new ConfigException(
          "trigger.sqs: " + name + " is a FIFO queue, to which S3 cannot send its events");
    }
    if (!name.matches("[A-Za-z0-9_-]{1,76}")) {
      throw new ConfigException(
          "trigger.sqs: '" + address + "' is not a queue URL or name (letters, digits, - and _)");
    }
    return name;
  }

  /** The region of a queue URL such as {@code https://sqs.eu-west-1.amazonaws.com/...}. */
  static Optional<String> queueRegion(String address) {
    java.util.regex.Matcher matcher =
        java.util.regex.Pattern.compile("^https://sqs\\.([a-z0-9-]+)\\.amazonaws\\.com/")
            .matcher(address);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private static List<KeyAttribute> keyOf(InputSpec input) {
    List<TargetColumn> columns = List.of();
    if (input.schema().declaresColumns()) {
      try {
        columns =
            RowShape.compile(input.schema().columns(), input.transforms(), input.schema().key())
                .columns()
                .stream()
                .map(TargetColumn::of)
                .toList();
      } catch (ShapeException e) {
        throw new ConfigException(e.getMessage());
      }
    }
    return keyOf(input.schema().key(), columns);
  }

  /**
   * The key attributes: numbers for numeric columns, text otherwise (and for columns whose type is
   * only known from a file's header, which are text).
   */
  private static List<KeyAttribute> keyOf(List<String> key, List<TargetColumn> columns) {
    if (key.isEmpty() || key.size() > 2) {
      throw new ConfigException(
          "target.type dynamodb: schema.key must name the partition key and, optionally, the sort"
              + " key");
    }
    List<KeyAttribute> attributes = new ArrayList<>();
    for (String name : key) {
      Optional<ColumnType> type =
          columns.stream().filter(c -> c.name().equals(name)).map(TargetColumn::type).findFirst();
      boolean number =
          type.map(
                  t ->
                      t == ColumnType.INT
                          || t == ColumnType.LONG
                          || t == ColumnType.DECIMAL
                          || t == ColumnType.DOUBLE)
              .orElse(false);
      attributes.add(new KeyAttribute(name, number));
    }
    return attributes;
  }

  /** The part of a glob before its first wildcard, e.g. {@code orders_} of {@code orders_*.csv}. */
  static String fixedStart(String glob) {
    int at = firstWildcard(glob);
    return at < 0 ? glob : glob.substring(0, at);
  }

  /**
   * The part of a glob after its last wildcard, e.g. {@code .csv} of {@code orders_*.csv}; none for
   * a glob that ends in a choice such as {@code *.{csv,csv.gz}} (a notification takes one suffix).
   */
  static Optional<String> fixedEnd(String glob) {
    int last = -1;
    for (int i = 0; i < glob.length(); i++) {
      if ("*?[]{}".indexOf(glob.charAt(i)) >= 0) {
        last = i;
      }
    }
    if (last < 0) {
      return Optional.empty();
    }
    String end = glob.substring(last + 1);
    return end.isEmpty() ? Optional.empty() : Optional.of(end);
  }

  private static int firstWildcard(String glob) {
    for (int i = 0; i < glob.length(); i++) {
      if ("*?[{".indexOf(glob.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
