package io.bucketload.core.source;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.SourceSpec;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Opens the source a pipeline names: a local folder, or a URI served by a {@link SourceFactory}.
 */
public final class Sources {
  /** The {@code source} keys every source accepts besides {@code path} and {@code match}. */
  public static final Set<String> COMMON_KEYS = Set.of("rejected", "failed");

  private Sources() {}

  /**
   * Opens the source.
   *
   * @throws ConfigException when no factory serves the path's scheme
   */
  public static Source open(SourceSpec spec) {
    String scheme = spec.scheme();
    if (scheme.isEmpty() || scheme.equals("file")) {
      spec.settings().allowOnly(COMMON_KEYS);
      return new LocalFolderSource(spec.localFolder(), spec.match());
    }
    for (SourceFactory factory : ServiceLoader.load(SourceFactory.class)) {
      if (factory.scheme().equals(scheme)) {
        return factory.open(spec);
      }
    }
    throw new ConfigException(
        "source.path: no source for '" + scheme + "://' paths in this build: " + spec.path());
  }
}
