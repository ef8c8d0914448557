package io.bucketload.core.notify;

import io.bucketload.core.spec.NotifySpec;

/**
 * Opens notification channels of one kind ({@code notify[].webhook}, ...). Modules register
 * implementations as {@link java.util.ServiceLoader} services. Stateless and thread-safe.
 */
public interface NotifierFactory {
  /** The channel key this factory serves, e.g. {@code webhook}. */
  String type();

  /**
   * Checks the channel's settings without connecting.
   *
   * @throws io.bucketload.core.error.ConfigException naming the file, line and key
   */
  void check(NotifySpec spec);

  /**
   * Opens the channel.
   *
   * @param spec the channel's settings
   * @param mask hides the pipeline's secrets in any text the channel logs or reports
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   */
  Notifier open(NotifySpec spec, java.util.function.UnaryOperator<String> mask);
}
