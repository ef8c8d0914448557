package io.bucketload.core.error;

/**
 * The pipeline file or the command line is wrong. The message names the setting and, where known,
 * the file and line, e.g. {@code pipeline.yaml line 12: target.mode: unknown mode 'upsertt'}.
 */
public final class ConfigException extends BucketloadException {
  private static final long serialVersionUID = 1L;

  /** Creates a configuration error with a complete message. */
  public ConfigException(String message) {
    super(Fault.CONFIG, message, null);
  }

  /** Creates a configuration error with a complete message and its cause. */
  public ConfigException(String message, Throwable cause) {
    super(Fault.CONFIG, message, cause);
  }
}
