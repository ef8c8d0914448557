package io.bucketload.aws;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Says in one line what to do when no AWS credentials are found, instead of the SDK's account of
 * every provider it asked (about 1,600 characters). The providers' answers stay in the cause, for
 * {@code --stacktrace}. Stateless and thread-safe.
 */
final class MissingCredentials implements ExecutionInterceptor {
  /** How the SDK's message of a credentials chain that found nothing starts. */
  static final String SDK_MESSAGE = "Unable to load credentials from any of the providers";

  /** What is said instead. */
  static final String MESSAGE =
      "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and"
          + " AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE for a profile in ~/.aws, or run"
          + " where a role provides them (Lambda, an ECS task, an EC2 instance)";

  @Override
  public Throwable modifyException(
      Context.FailedExecution context, ExecutionAttributes executionAttributes) {
    Throwable failure = context.exception();
    if (!(failure instanceof SdkClientException client)
        || client.getMessage() == null
        || !client.getMessage().startsWith(SDK_MESSAGE)) {
      return failure;
    }
    return SdkClientException.builder().message(MESSAGE).cause(client).build();
  }
}
