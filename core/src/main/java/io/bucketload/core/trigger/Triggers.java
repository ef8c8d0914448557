package io.bucketload.core.trigger;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.TriggerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** Finds the {@link TriggerFactory} for a pipeline's trigger. */
public final class Triggers {
  private Triggers() {}

  /**
   * The factory for the trigger's kind.
   *
   * @throws ConfigException when no factory in this build serves it, listing those that do
   */
  public static TriggerFactory factoryFor(TriggerSpec spec) {
    List<String> known = new ArrayList<>();
    for (TriggerFactory factory : ServiceLoader.load(TriggerFactory.class)) {
      if (factory.type().equals(spec.type())) {
        return factory;
      }
      known.add(factory.type());
    }
    throw new ConfigException(
        "trigger."
            + spec.type()
            + ": no trigger of this kind in this build"
            + (known.isEmpty() ? "" : "; available: " + String.join(", ", new TreeSet<>(known))));
  }

  /**
   * The trigger, described with {@code mask} applied (a queue URL given as {@code ${VAR}} shows as
   * {@code ****}), as {@code serve} logs it, reports its health and names it on its pages. The
   * reason a poll fails is the caller's to mask, as every failure's.
   */
  public static Trigger masked(Trigger trigger, UnaryOperator<String> mask) {
    return new Masked(trigger, mask);
  }

  private record Masked(Trigger trigger, UnaryOperator<String> mask) implements Trigger {
    @Override
    public String describe() {
      return mask.apply(trigger.describe());
    }

    @Override
    public String kind() {
      return trigger.kind();
    }

    @Override
    public List<Delivery> poll() throws java.io.IOException {
      return trigger.poll();
    }

    @Override
    public boolean pending() {
      return trigger.pending();
    }

    @Override
    public java.util.Optional<java.time.Instant> nextRun() {
      return trigger.nextRun();
    }

    @Override
    public void close() {
      trigger.close();
    }
  }
}
