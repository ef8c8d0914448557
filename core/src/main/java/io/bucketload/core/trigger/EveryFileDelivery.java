package io.bucketload.core.trigger;

import java.util.List;

/** A delivery that asks for every matching file of the source: a schedule's run, a watch's pass. */
abstract class EveryFileDelivery implements Delivery {
  /** {@inheritDoc} None: every matching file. */
  @Override
  public final List<String> files() {
    return List.of();
  }

  @Override
  public final boolean allFiles() {
    return true;
  }
}
