package io.bucketload.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK exceptions into messages for people: the service's error code and message. */
final class S3Errors {
  private S3Errors() {}

  static String describe(String what, SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      String message = service.awsErrorDetails().errorMessage();
      return what
          + ": "
          + (code == null ? "HTTP " + service.statusCode() : code)
          + (message == null ? "" : " (" + message + ")");
    }
    return what + ": " + e.getMessage();
  }
}
