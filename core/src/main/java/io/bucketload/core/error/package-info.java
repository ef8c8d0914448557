/**
 * Errors that say whose fault they are: bad configuration, bad data, or a system failure.
 *
 * <p>The {@link io.bucketload.core.error.Fault} of an error drives exit codes, notifications and
 * retries: user errors (configuration, data) are not retried; system failures may be.
 */
package io.bucketload.core.error;
