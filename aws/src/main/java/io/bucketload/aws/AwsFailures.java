package io.bucketload.aws;

import io.bucketload.core.error.TargetException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A failed AWS request as a system failure whose message says what was being done and what AWS
 * answered: the service's error code and message (a missing bucket, a refused key, a policy that
 * denies), or why no answer came (an endpoint that refuses connections).
 */
public final class AwsFailures {
  private AwsFailures() {}

  /**
   * The failure.
   *
   * @param what what was being done, e.g. {@code uploading orders.csv to s3://landing/in/}
   * @param mask masks the values from the environment in the message
   */
  public static TargetException of(
      String what, SdkException e, java.util.function.UnaryOperator<String> mask) {
    String answer;
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      String message = service.awsErrorDetails().errorMessage();
      String serviceName = service.awsErrorDetails().serviceName();
      answer =
          (serviceName == null ? "" : serviceName + " answered ")
              + (code == null ? "HTTP " + service.statusCode() + statusMeaning(service) : code)
              + (message == null ? "" : " (" + message + ")");
    } else {
      answer = String.valueOf(e.getMessage());
    }
    return TargetException.system(mask.apply(what + ": " + answer), e, true);
  }

  /** What a status without an error code means, for the ones people meet. */
  private static String statusMeaning(AwsServiceException e) {
    return switch (e.statusCode()) {
      case 403 -> " (access denied: the credentials, or a policy of the resource, refuse it)";
      case 404 -> " (not found)";
      default -> "";
    };
  }
}
