package io.bucketload.core.notify;

import io.bucketload.core.spec.NotifySpec;
import java.util.function.UnaryOperator;

/** {@code notify: [{webhook: {url: ...}}]}: Slack-compatible JSON POSTed over HTTPS. */
public final class WebhookNotifierFactory implements NotifierFactory {
  @Override
  public String type() {
    return "webhook";
  }

  @Override
  public void check(NotifySpec spec) {
    WebhookNotifier.open(spec, UnaryOperator.identity());
  }

  @Override
  public Notifier open(NotifySpec spec, UnaryOperator<String> mask) {
    return WebhookNotifier.open(spec, mask);
  }
}
