package io.bucketload.core.source;

import io.bucketload.core.spec.SourceSpec;

/**
 * Opens sources for one URI scheme, e.g. {@code s3}. Adapter modules register implementations as
 * {@link java.util.ServiceLoader} services; plain paths are local folders.
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
}
