package io.bucketload.aws.sns;

import io.bucketload.core.notify.Notifier;
import io.bucketload.core.notify.NotifierFactory;
import io.bucketload.core.spec.NotifySpec;
import java.util.function.UnaryOperator;

/** {@code notify: [{sns: {topic: ARN}}]}: each run published to an SNS topic. */
public final class SnsNotifierFactory implements NotifierFactory {
  @Override
  public String type() {
    return "sns";
  }

  @Override
  public void check(NotifySpec spec) {
    SnsNotifier.check(spec);
  }

  @Override
  public Notifier open(NotifySpec spec, UnaryOperator<String> mask) {
    return SnsNotifier.open(spec, mask);
  }
}
