package io.bucketload.aws.sqs;

import io.bucketload.core.spec.TriggerSpec;
import io.bucketload.core.trigger.Trigger;
import io.bucketload.core.trigger.TriggerFactory;

/** {@code trigger: {sqs: QUEUE_URL}}: a queue of S3 event notifications. */
public final class SqsTriggerFactory implements TriggerFactory {
  @Override
  public String type() {
    return "sqs";
  }

  @Override
  public void check(TriggerSpec spec) {
    SqsTrigger.open(spec).close();
  }

  @Override
  public Trigger open(TriggerSpec spec) {
    return SqsTrigger.open(spec);
  }
}
