package io.bucketload.core.target;

/**
 * Another worker holds the claim on a file version and is loading it now. Not a failure: the file
 * is reported {@code waiting}, nothing is recorded, and the event that named it stays for
 * redelivery, after which the file is either loaded (and skipped) or its claim expired.
 */
public final class FileClaimedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message says who holds the claim and until when. */
  public FileClaimedException(String message) {
    super(message);
  }
}
