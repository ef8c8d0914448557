package io.bucketload.core.run;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts a file's rejects by reason, for the report and the notifications: the most frequent
 * reasons with a line each. Bounded: past {@link #MOST_REASONS} distinct reasons, new ones are
 * counted under the last, so memory stays flat however the rows go wrong. Not thread-safe.
 */
final class RejectTally {
  /** How many distinct reasons are told apart. */
  static final int MOST_REASONS = 100;

  /** How many reasons a report keeps. */
  static final int REPORTED = 3;

  private final Map<String, long[]> counts = new LinkedHashMap<>();
  private final Map<String, String[]> keys = new LinkedHashMap<>();

  /** Counts one rejected row. */
  void add(long line, String column, String value, String reason) {
    String general =
        value == null || value.isEmpty() ? reason : reason.replace("'" + value + "'", "the value");
    String key = column + "\u0000" + general;
    long[] count = counts.get(key);
    if (count == null) {
      if (counts.size() >= MOST_REASONS) {
        key = "\u0000other reasons";
        count = counts.computeIfAbsent(key, k -> new long[] {0, line});
        keys.putIfAbsent(key, new String[] {"", "other reasons"});
      } else {
        count = new long[] {0, line};
        counts.put(key, count);
        keys.put(key, new String[] {column, general});
      }
    }
    count[0]++;
  }

  /** The most frequent reasons, most rows first (then the earliest). */
  List<RejectReason> top() {
    return counts.entrySet().stream()
        .map(
            entry ->
                new RejectReason(
                    keys.get(entry.getKey())[0],
                    keys.get(entry.getKey())[1],
                    entry.getValue()[0],
                    entry.getValue()[1]))
        .sorted(
            Comparator.comparingLong(RejectReason::rows)
                .reversed()
                .thenComparingLong(RejectReason::firstLine))
        .limit(REPORTED)
        .toList();
  }
}
