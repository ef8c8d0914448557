package io.bucketload.core.trigger;

import io.bucketload.core.spec.TriggerSpec;

/**
 * Opens triggers of one kind ({@code trigger.sqs}, ...). Adapter modules register implementations
 * as {@link java.util.ServiceLoader} services. Stateless and thread-safe.
 */
public interface TriggerFactory {
  /** The trigger key this factory serves, e.g. {@code sqs}. */
  String type();

  /**
   * Checks the trigger's settings without connecting.
   *
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   */
  void check(TriggerSpec spec);

  /**
   * Opens the trigger.
   *
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   */
  Trigger open(TriggerSpec spec);

  /**
   * Opens the trigger of an open pipeline: a trigger that watches the source lists the pipeline's;
   * one that keeps state between runs (a schedule's last run) keeps it in the pipeline's ledger.
   *
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   */
  default Trigger open(TriggerSpec spec, io.bucketload.core.run.Pipeline pipeline) {
    return open(spec);
  }
}
