package io.bucketload.core.source;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.SourceSpec;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Opens the source a pipeline names, a local folder or a URI served by a {@link SourceFactory}, and
 * the {@link OutputStore} for what bucketload writes back.
 */
public final class Sources {
  /** The {@code source} keys every source accepts besides {@code path} and {@code match}. */
  public static final Set<String> COMMON_KEYS =
      Set.of("rejected", "failed", "output", "settle", "ready", "read_threads");

  private Sources() {}

  /**
   * Opens the source.
   *
   * @throws ConfigException when no factory serves the path's scheme
   */
  public static Source open(SourceSpec spec) {
    String scheme = spec.scheme();
    if (isLocal(scheme)) {
      spec.settings().allowOnly(COMMON_KEYS);
      return new LocalFolderSource(spec.localFolder(), spec.match());
    }
    return factory(scheme, "source.path", spec.path()).open(spec);
  }

  /**
   * Opens the store for rejects, failed copies and exports: {@code source.output} when set, else
   * the source's own folder or prefix.
   *
   * @throws ConfigException when no factory serves the location's scheme, or it cannot be written
   */
  public static OutputStore outputs(SourceSpec spec) {
    String location = spec.outputLocation();
    String scheme = SourceSpec.schemeOf(location);
    if (isLocal(scheme)) {
      return new LocalFolderOutputs(spec.resolveLocal(location));
    }
    String key = spec.output().isPresent() ? "source.output" : "source.path";
    return factory(scheme, key, location).outputs(location, spec);
  }

  private static boolean isLocal(String scheme) {
    return scheme.isEmpty() || scheme.equals("file");
  }

  private static SourceFactory factory(String scheme, String key, String location) {
    java.util.List<String> known = new java.util.ArrayList<>();
    for (SourceFactory factory : ServiceLoader.load(SourceFactory.class)) {
      if (factory.scheme().equals(scheme)) {
        return factory;
      }
      if (!SourceSpec.URL_INPUTS.startsWith(factory.scheme() + "://")) {
        known.add(factory.scheme());
      }
    }
    if (known.contains(scheme.toLowerCase(java.util.Locale.ROOT))) {
      throw new ConfigException(
          key
              + ": '"
              + scheme
              + "://' is written in lower case: "
              + scheme.toLowerCase(java.util.Locale.ROOT)
              + "://... ("
              + location
              + ")");
    }
    throw new ConfigException(
        key
            + ": no source for '"
            + scheme
            + "://' paths in this build (it reads "
            + String.join(
                ", ", new java.util.TreeSet<>(known).stream().map(s -> s + "://").toList())
            + " and local folders): "
            + location);
  }
}
