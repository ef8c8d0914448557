package io.bucketload.core.trigger;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.TriggerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

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
}
