package io.bucketload.core.spec;

import java.util.Objects;
import java.util.Set;

/**
 * The {@code trigger} section: what tells a long-running bucketload that files arrived, e.g. {@code
 * trigger: {sqs: https://sqs.eu-west-1.amazonaws.com/123456789012/landing}}.
 *
 * @param type the kind of trigger, one of {@link #TYPES}
 * @param address what it listens to, e.g. the queue's URL
 * @param settings the trigger's other keys (e.g. {@code region}, {@code endpoint})
 */
public record TriggerSpec(String type, String address, Settings settings) {
  /** The kinds of trigger a pipeline may name. */
  public static final Set<String> TYPES = Set.of("sqs", "schedule", "watch");

  /**
   * The key every kind of trigger has: how far apart the pipeline's runs start at least ({@code
   * min_interval: 1 day}).
   */
  public static final String MIN_INTERVAL = "min_interval";

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
