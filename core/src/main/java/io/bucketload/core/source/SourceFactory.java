package io.bucketload.core.source;

import io.bucketload.core.spec.SourceSpec;

/**
 * Opens sources and output stores for one URI scheme, e.g. {@code s3}. Adapter modules register
 * implementations as {@link java.util.ServiceLoader} services; plain paths are local folders.
 */
public interface SourceFactory {
  /** The scheme this factory serves, e.g. {@code s3}. */
  String scheme();

  /**
   * Opens a source.
   *
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   */
  Source open(SourceSpec spec);

  /**
   * Opens the store for what bucketload writes back, rooted at {@code location} (a URI of this
   * factory's scheme: the source's own path, or {@code source.output}), with the source's settings
   * (region, endpoint, ...).
   *
   * @throws io.bucketload.core.error.ConfigException when this scheme cannot be written, or naming
   *     a bad setting
   */
  OutputStore outputs(String location, SourceSpec spec);
}
