package io.bucketload.core.target;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.TargetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the {@link TargetFactory} for a pipeline's {@code target.type}. */
public final class Targets {
  private Targets() {}

  /**
   * The factory for the pipeline's target type.
   *
   * @throws ConfigException when no factory serves the type, listing those that do
   */
  public static TargetFactory factoryFor(PipelineSpec spec) {
    TargetSpec target = spec.target();
    List<String> known = new ArrayList<>();
    for (TargetFactory factory : ServiceLoader.load(TargetFactory.class)) {
      if (factory.type().equals(target.type())) {
        return factory;
      }
      known.add(factory.type());
    }
    throw new ConfigException(
        spec.file().getFileName()
            + " line "
            + target.line()
            + ": target.type: unknown type '"
            + target.type()
            + "'; available: "
            + String.join(", ", new TreeSet<>(known)));
  }
}
