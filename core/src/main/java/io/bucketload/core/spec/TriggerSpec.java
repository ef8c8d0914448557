package io.bucketload.core.spec;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One kind of trigger of a pipeline's {@code trigger} section: what tells a long-running bucketload
 * that files arrived or that a run is due, e.g. {@code trigger: {sqs:
 * https://sqs.eu-west-1.amazonaws.com/123456789012/landing}}. A section may name several kinds;
 * each becomes one spec with its own keys and the shared {@link #MIN_INTERVAL}.
 *
 * @param type the kind of trigger, one of {@link #TYPES}
 * @param address what it listens to, e.g. the queue's URL
 * @param settings the kind's own keys (e.g. {@code region}, {@code endpoint}) and {@code
 *     min_interval}
 */
public record TriggerSpec(String type, String address, Settings settings) {
  /** The kinds of trigger a pipeline may name. */
  public static final Set<String> TYPES = Set.of("sqs", "schedule", "watch");

  /**
   * The key every kind of trigger has: how far apart the pipeline's runs start at least ({@code
   * min_interval: 1 day}).
   */
  public static final String MIN_INTERVAL = "min_interval";

  /** The keys each kind of trigger reads besides its own and {@link #MIN_INTERVAL}. */
  public static final Map<String, Set<String>> KEYS =
      Map.of(
          "sqs",
          Set.of(
              "region",
              "endpoint",
              "wait_seconds",
              "max_messages",
              "max_receive_count",
              "visibility_timeout"),
          "schedule",
          Set.of("timezone"),
          "watch",
          Set.of("settle"));

  /** The keys a trigger of {@code kind} may have: its own and {@link #MIN_INTERVAL}. */
  public static Set<String> keysOf(String kind) {
    Set<String> keys = new java.util.HashSet<>(KEYS.getOrDefault(kind, Set.of()));
    keys.add(MIN_INTERVAL);
    return Set.copyOf(keys);
  }

  /**
   * How far apart runs start at least ({@code min_interval}); zero when not set.
   *
   * @throws io.bucketload.core.error.ConfigException when it is not a duration
   */
  public java.time.Duration minInterval() {
    return settings.duration(MIN_INTERVAL, java.time.Duration.ZERO);
  }

  /** Checks the fields. */
  public TriggerSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(settings, "settings");
  }
}
