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

  /** Checks the fields. */
  public TriggerSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(settings, "settings");
  }
}
