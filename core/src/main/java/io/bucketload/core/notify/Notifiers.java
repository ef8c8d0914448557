package io.bucketload.core.notify;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.NotifySpec;
import io.bucketload.core.spec.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds and opens the notification channels of a pipeline's {@code notify} list. */
public final class Notifiers {
  private Notifiers() {}

  /**
   * The factory for a channel's kind.
   *
   * @throws ConfigException when no module of this build serves it, listing those that do
   */
  public static NotifierFactory factoryFor(NotifySpec spec) {
    List<String> known = new ArrayList<>();
    for (NotifierFactory factory : ServiceLoader.load(NotifierFactory.class)) {
      if (factory.type().equals(spec.type())) {
        return factory;
      }
      known.add(factory.type());
    }
    throw new ConfigException(
        spec.settings().fileName()
            + ": "
            + spec.label()
            + ": no channel of this kind in this build"
            + (known.isEmpty() ? "" : "; available: " + String.join(", ", new TreeSet<>(known))));
  }

  /** Checks every channel's settings without connecting. */
  public static void check(PipelineSpec pipeline) {
    for (NotifySpec channel : pipeline.channels()) {
      factoryFor(channel).check(channel);
    }
  }

  /**
   * Opens every channel of the pipeline, each told only of the runs its {@code on} names.
   *
   * @throws ConfigException naming a bad setting
   */
  public static List<Notifier> open(PipelineSpec pipeline) {
    List<Notifier> opened = new ArrayList<>();
    try {
      for (NotifySpec channel : pipeline.channels()) {
        opened.add(
            new Filtered(
                channel, factoryFor(channel).open(channel, pipeline::mask), pipeline::mask));
      }
    } catch (RuntimeException e) {
      opened.forEach(Notifier::close);
      throw e;
    }
    return List.copyOf(opened);
  }

  /**
   * A channel told only of the runs its {@code on} names, described with the values from the
   * environment masked (a server or address given as {@code ${VAR}}).
   */
  private record Filtered(
      NotifySpec spec, Notifier channel, java.util.function.UnaryOperator<String> mask)
      implements Notifier {
    @Override
    public String describe() {
      return mask.apply(spec.label() + " " + channel.describe());
    }

    @Override
    public boolean wants(RunReport report) {
      return RunMessage.of(report).wanted(spec.on());
    }

    @Override
    public void runFinished(RunReport report) {
      channel.runFinished(report);
    }

    @Override
    public void stopRetrying() {
      channel.stopRetrying();
    }

    @Override
    public void close() {
      channel.close();
    }
  }
}
