package io.bucketload.mail;

import io.bucketload.core.notify.Notifier;
import io.bucketload.core.notify.NotifierFactory;
import io.bucketload.core.spec.NotifySpec;
import java.util.function.UnaryOperator;

/** {@code notify: [{email: {...}}]}: one email per run through SMTP. */
public final class EmailNotifierFactory implements NotifierFactory {
  @Override
  public String type() {
    return "email";
  }

  @Override
  public void check(NotifySpec spec) {
    EmailNotifier.open(spec, UnaryOperator.identity());
  }

  @Override
  public Notifier open(NotifySpec spec, UnaryOperator<String> mask) {
    return EmailNotifier.open(spec, mask);
  }
}
