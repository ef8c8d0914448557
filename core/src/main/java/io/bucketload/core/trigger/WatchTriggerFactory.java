package io.bucketload.core.trigger;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.TriggerSpec;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code trigger: {watch: 30s}}: lists the pipeline's source (a folder or an {@code s3://} prefix)
 * every 30 s and loads what is new once it has settled ({@code source.settle}).
 */
public final class WatchTriggerFactory implements TriggerFactory {
  /** The shortest period: listing more often than this only costs. */
  static final Duration SHORTEST = Duration.ofSeconds(1);

  @Override
  public String type() {
    return "watch";
  }

  @Override
  public void check(TriggerSpec spec) {
    every(spec);
  }

  /**
   * How often the source is listed.
   *
   * @throws ConfigException when it is not a duration of at least a second
   */
  public static Duration every(TriggerSpec spec) {
    spec.settings().allowOnly(TriggerSpec.keysOf("watch"));
    Duration every =
        Settings.parseDuration(spec.address())
            .orElseThrow(
                () ->
                    new ConfigException(
                        "'"
                            + spec.address()
                            + "' is not a duration; write how often to list the source, e.g."
                            + " 30s, 5m"));
    if (every.compareTo(SHORTEST) < 0) {
      throw new ConfigException(
          "'" + spec.address() + "' is too often; list the source at most once a second");
    }
    return every;
  }

  @Override
  public Trigger open(TriggerSpec spec) {
    throw new ConfigException("a watch lists its pipeline's source; open it with the source");
  }

  @Override
  public Trigger open(TriggerSpec spec, io.bucketload.core.run.Pipeline pipeline) {
    return new WatchTrigger(
        pipeline.source(), every(spec), Clock.systemUTC(), Duration.ofSeconds(1));
  }
}
