package io.bucketload.aws.dynamodb;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a DynamoDB {@code sync} keeps to find the table's keys its file lacks ({@link FileKeys}),
 * alone, without DynamoDB: KEYS file keys added as a load adds them, then a table of as many items
 * (one in 100 not in the file) compared with them, as the table's scan pages arrive. Usage:
 * SyncKeys KEYS memory|spill. "memory" holds every key in memory (the way before spilling);
 * "spill" is the way a load does it. Prints the time and how many items were found absent; the
 * peak RSS is the caller's to measure (bench/run-sync-keys). In this package to reach FileKeys.
 */
public final class SyncKeys {
  public static void main(String[] args) {
    int keys = Integer.parseInt(args[0]);
    boolean spill = args[1].equals("spill");
    long start = System.nanoTime();
    long absent;
    try (FileKeys fileKeys =
        spill ? new FileKeys("bench") : new FileKeys("bench", Long.MAX_VALUE, FileKeys.PARTITIONS)) {
      for (int i = 0; i < keys; i++) {
        fileKeys.add(key(i));
      }
      long[] found = {0};
      fileKeys.absentFrom(
          () -> table(keys),
          item -> item.get("id").s(),
          List.of("id"),
          (key, item) -> found[0]++);
      absent = found[0];
      if (fileKeys.spilled() != spill) {
        throw new AssertionError("spilled: " + fileKeys.spilled());
      }
    }
    long expected = keys / 100;
    if (absent != expected) {
      throw new AssertionError(absent + " absent, expected " + expected);
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %,d keys, %,d absent, %.1f s%n",
        spill ? "spilled" : "in memory",
        keys,
        absent,
        (System.nanoTime() - start) / 1e9);
  }

  private static String key(long i) {
    return String.format(Locale.ROOT, "k%011d", i);
  }

  /** The table's items: the file's keys, but every hundredth one replaced by a key it lacks. */
  private static Iterator<Map<String, AttributeValue>> table(int keys) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < keys;
      }

      @Override
      public Map<String, AttributeValue> next() {
        int i = next++;
        String id = i % 100 == 99 ? "absent-" + i : key(i);
        return Map.of("id", AttributeValue.fromS(id));
      }
    };
  }
}
