package io.bucketload.core.target;

/**
 * Another run holds the claim on a file and is loading it now, or loaded it after this run looked
 * it up. Not a failure: nothing of this attempt is committed or recorded. When the other run loaded
 * this very version, the file is reported {@code skipped}; otherwise {@code waiting}, and the event
 * that named it stays for redelivery, after which the file is either loaded (and skipped) or its
 * claim expired.
 */
public final class FileClaimedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message says who holds the claim and until when. */
  public FileClaimedException(String message) {
    super(message);
  }
}
