package io.bucketload.core.run;

import io.bucketload.core.error.BucketloadException;
import io.bucketload.core.source.SourceReadException;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.FileClaimedException;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a load threw into a {@link FileOutcome}, by type: bucketload's own errors carry their
 * {@link io.bucketload.core.error.Fault}; a source that cannot be read and anything unexpected are
 * system failures; a claim held by another worker means waiting. Messages are masked.
 */
public final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  /**
   * The outcome of a failure.
   *
   * @param e what was thrown
   * @param what what failed, for the message of a failure that does not name it (e.g. a file key)
   * @param spec the pipeline, whose secrets are masked
   */
  public static FileOutcome outcome(Throwable e, String what, PipelineSpec spec) {
    if (e instanceof FileClaimedException) {
      return new FileOutcome.Waiting(spec.mask(describe(e)));
    }
    if (e instanceof io.bucketload.core.error.TargetException held && held.isBusy()) {
      // Another process holds the target: the file was not tried, and waits for a later run.
      return new FileOutcome.Waiting("not tried: " + spec.mask(describe(e)));
    }
    if (e instanceof BucketloadException known) {
      String message = spec.mask(describe(e));
      return switch (known.fault()) {
        case DATA -> new FileOutcome.FailedOnData(message, Optional.empty());
        case CONFIG -> new FileOutcome.Refused(message);
        case SYSTEM -> new FileOutcome.FailedOnSystem(message);
      };
    }
    if (e instanceof SourceReadException) {
      return new FileOutcome.FailedOnSystem(spec.mask(describe(e)));
    }
    if (e instanceof IOException failure) {
      return new FileOutcome.FailedOnSystem(
          spec.mask(what + ": " + io.bucketload.core.error.IoFailures.reason(failure)));
    }
    LOG.error("[{}] unexpected failure", spec.name(), e);
    return new FileOutcome.FailedOnSystem(spec.mask(what + ": " + describe(e)));
  }

  /** The exception's message, or its type when it has none. */
  public static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
