package io.bucketload.core.target;

/**
 * A target began reading a file itself ({@link TableLoad#readDirectly}) and met a record or a value
 * it cannot prove it reads as bucketload does: a reject, a value in a form other than the plain
 * one, a record its reader refuses. Its transaction can only roll back; the unit of work is then
 * loaded again through bucketload's reader, which tells exactly what is wrong, if anything.
 */
public final class DirectReadDeclined extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what the target's reader met, for the log (it may quote a value of the file)
   * @param cause the target's failure
   */
  public DirectReadDeclined(String message, Throwable cause) {
    super(message, cause);
  }
}
