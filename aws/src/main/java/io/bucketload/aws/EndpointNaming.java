package io.bucketload.aws;

import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Names the endpoint in a request that got no answer: {@code Unable to execute HTTP request:
 * Connection refused} becomes {@code ... Connection refused (endpoint http://127.0.0.1:9000)}, so a
 * wrong {@code endpoint}, region or network tells where it went. Only failures to reach the
 * endpoint (an {@link IOException} among the causes) are changed; answers of the service are left
 * as they are. Stateless and thread-safe.
 */
final class EndpointNaming implements ExecutionInterceptor {
  @Override
  public Throwable modifyException(
      Context.FailedExecution context, ExecutionAttributes executionAttributes) {
    Throwable failure = context.exception();
    if (!(failure instanceof SdkClientException client)
        || context.httpRequest().isEmpty()
        || !reachingFailed(client)) {
      return failure;
    }
    SdkClientException.Builder named = client.toBuilder();
    return named
        .message(named.message() + " (endpoint " + where(context.httpRequest().get()) + ")")
        .build();
  }

  private static boolean reachingFailed(Throwable failure) {
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** {@code scheme://host[:port]}, without the path and query of the request. */
  static String where(SdkHttpRequest request) {
    boolean defaultPort =
        request.port() < 0
            || software.amazon.awssdk.utils.http.SdkHttpUtils.isUsingStandardPort(
                request.protocol(), request.port());
    return request.protocol() + "://" + request.host() + (defaultPort ? "" : ":" + request.port());
  }
}
