package io.bucketload.aws.dynamodb;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.TargetColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Finds or creates tables: a missing table is created with the pipeline's key (on-demand billing,
 * server-side encryption); an existing one is used as it is once its key matches.
 */
public final class DynamoDbTables {
  private DynamoDbTables() {}

  /** One key attribute: its name, its type and whether it is the partition or the sort key. */
  record KeyAttribute(String name, ScalarAttributeType type, KeyType role) {
    @Override
    public String toString() {
      return name + " (" + type + (role == KeyType.HASH ? ", partition" : ", sort") + ")";
    }
  }

  /**
   * The key a plan needs: the first {@code schema.key} column is the partition key, a second one
   * the sort key.
   *
   * @throws ConfigException when there is no key, more than two columns, or a boolean key
   */
  static List<KeyAttribute> keyOf(LoadPlan plan) {
    if (plan.key().isEmpty() || plan.key().size() > 2) {
      throw new ConfigException(
          "target.type dynamodb: schema.key must name the partition key and, optionally, the sort"
              + " key"
              + (plan.key().isEmpty() ? "" : "; found " + plan.key().size() + " columns"));
    }
    List<KeyAttribute> key = new ArrayList<>();
    for (int k = 0; k < plan.key().size(); k++) {
      String name = plan.key().get(k);
      TargetColumn column =
          plan.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
      key.add(new KeyAttribute(name, typeOf(column), k == 0 ? KeyType.HASH : KeyType.RANGE));
    }
    return key;
  }

  private static ScalarAttributeType typeOf(TargetColumn column) {
    if (column.type() == ColumnType.BOOLEAN) {
      throw new ConfigException(
          "schema.key: column '"
              + column.name()
              + "' is boolean; a DynamoDB key is text or number");
    }
    return switch (column.type()) {
      case INT, LONG, DECIMAL, DOUBLE -> ScalarAttributeType.N;
      default -> ScalarAttributeType.S;
    };
  }

  /**
   * Makes sure the table exists with this key.
   *
   * @param create whether a missing table may be created
   * @throws ConfigException when the table's key differs, or it is missing and may not be created
   */
  static void ensure(DynamoDbClient client, String table, List<KeyAttribute> key, boolean create) {
    TableDescription description = check(client, table, key, create);
    if (description == null) {
      create(client, table, key);
      return;
    }
    if (description.tableStatus() == TableStatus.CREATING) {
      waitUntilActive(client, table);
    }
  }

  /**
   * Checks that the table has this key, or is missing and may be created; changes nothing.
   *
   * @return the table's description, or {@code null} when it is missing
   * @throws ConfigException when the table's key differs, or it is missing and may not be created
   */
  static TableDescription check(
      DynamoDbClient client, String table, List<KeyAttribute> key, boolean create) {
    TableDescription description = describe(client, table);
    if (description == null) {
      if (!create) {
        throw new ConfigException(
            "DynamoDB table '" + table + "' does not exist (target.create_table is false)");
      }
      return null;
    }
    List<KeyAttribute> existing = keyOf(description);
    if (!existing.equals(key)) {
      throw new ConfigException(
          "DynamoDB table '"
              + table
              + "' has the key "
              + existing.stream().map(KeyAttribute::toString).collect(Collectors.joining(", "))
              + ", the pipeline's schema.key is "
              + key.stream().map(KeyAttribute::toString).collect(Collectors.joining(", ")));
    }
    return description;
  }

  /** Makes sure the ledger table exists, creating it when missing. */
  public static void ensureLedger(DynamoDbClient client, String table) {
    List<KeyAttribute> key =
        List.of(
            new KeyAttribute("pk", ScalarAttributeType.S, KeyType.HASH),
            new KeyAttribute("sk", ScalarAttributeType.S, KeyType.RANGE));
    TableDescription description = describe(client, table);
    if (description == null) {
      create(client, table, key);
    } else if (!keyOf(description).equals(key)) {
      throw new ConfigException(
          "DynamoDB table '"
              + table
              + "' is not a bucketload ledger (its key is not pk, sk); set target.ledger_table");
    }
  }

  private static TableDescription describe(DynamoDbClient client, String table) {
    try {
      return client.describeTable(request -> request.tableName(table)).table();
    } catch (ResourceNotFoundException e) {
      return null;
    } catch (SdkException e) {
      throw TargetException.system(
          "cannot describe DynamoDB table '" + table + "': " + e.getMessage(), e, true);
    }
  }

  private static List<KeyAttribute> keyOf(TableDescription description) {
    Map<String, ScalarAttributeType> types =
        description.attributeDefinitions().stream()
            .collect(
                Collectors.toMap(
                    AttributeDefinition::attributeName, AttributeDefinition::attributeType));
    List<KeyAttribute> key = new ArrayList<>();
    for (KeyType role : List.of(KeyType.HASH, KeyType.RANGE)) {
      for (KeySchemaElement element : description.keySchema()) {
        if (element.keyType() == role) {
          key.add(
              new KeyAttribute(element.attributeName(), types.get(element.attributeName()), role));
        }
      }
    }
    return key;
  }

  private static void create(DynamoDbClient client, String table, List<KeyAttribute> key) {
    try {
      client.createTable(
          request ->
              request
                  .tableName(table)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .sseSpecification(sse -> sse.enabled(true))
                  .keySchema(
                      key.stream()
                          .map(
                              k ->
                                  KeySchemaElement.builder()
                                      .attributeName(k.name())
                                      .keyType(k.role())
                                      .build())
                          .toList())
                  .attributeDefinitions(
                      key.stream()
                          .map(
                              k ->
                                  AttributeDefinition.builder()
                                      .attributeName(k.name())
                                      .attributeType(k.type())
                                      .build())
                          .toList()));
    } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException e) {
      // Created by another worker meanwhile; wait for it below.
    } catch (SdkException e) {
      throw TargetException.system(
          "cannot create DynamoDB table '" + table + "': " + e.getMessage(), e, false);
    }
    waitUntilActive(client, table);
  }

  /** Waits for a table being created (by this worker or another) to become active. */
  private static void waitUntilActive(DynamoDbClient client, String table) {
    try {
      client.waiter().waitUntilTableExists(request -> request.tableName(table));
    } catch (SdkException e) {
      throw TargetException.system(
          "DynamoDB table '" + table + "' did not become active: " + e.getMessage(), e, true);
    }
  }
}
