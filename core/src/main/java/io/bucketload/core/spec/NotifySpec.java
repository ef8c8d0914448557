package io.bucketload.core.spec;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One channel of a pipeline's {@code notify} list, e.g. {@code - webhook: {url:
 * "${SLACK_WEBHOOK_URL}"}} with {@code on: [failure, rejects]}.
 *
 * @param type the kind of channel, one of {@link #TYPES}
 * @param settings the channel's keys; nested mappings are flattened with dots ({@code smtp.host})
 *     and lists joined with commas ({@code to})
 * @param on which runs it is told of
 * @param index the channel's place in the list, from 0, for messages ({@code notify[1]})
 */
public record NotifySpec(String type, Settings settings, Set<NotifyOn> on, int index) {
  /** The kinds of channel. */
  public static final Set<String> TYPES = Set.of("email", "webhook", "sns");

  /** Which runs a channel is told of when {@code on} is not given. */
  public static final Set<NotifyOn> DEFAULT_ON =
      Set.of(NotifyOn.SUCCESS, NotifyOn.FAILURE, NotifyOn.REJECTS);

  /** Checks and copies the fields. */
  public NotifySpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(settings, "settings");
    on = Set.copyOf(on);
  }

  /** The values of a list setting ({@code to: [a@x, b@x]}), empty when absent. */
  public List<String> list(String key) {
    return settings.get(key).stream()
        .flatMap(value -> java.util.Arrays.stream(value.split(",")))
        .map(String::trim)
        .filter(value -> !value.isEmpty())
        .toList();
  }

  /**
   * A setting the channel cannot do without.
   *
   * @param example how to write it, for the message, e.g. {@code webhook: {url: ...}}
   * @throws io.bucketload.core.error.ConfigException naming the file, the channel and the key
   */
  public String required(String key, String example) {
    return settings.get(key).map(String::trim).orElseThrow(() -> missing(key, example));
  }

  /** The error for a setting the channel cannot do without, naming the file and the channel. */
  public io.bucketload.core.error.ConfigException missing(String key, String example) {
    return new io.bucketload.core.error.ConfigException(
        settings.fileName() + ": " + label() + ": missing " + key + ", e.g. " + example);
  }

  /** The channel as the pipeline file names it, e.g. {@code notify[1] (webhook)}. */
  public String label() {
    return "notify[" + index + "] (" + type + ")";
  }
}
