/**
 * Telling people what a run did: the {@link io.bucketload.core.notify.Notifier} contract, called
 * once per run with its {@link io.bucketload.core.run.RunReport}. Channels (email, webhooks, SNS)
 * live in the modules whose libraries they need.
 */
package io.bucketload.core.notify;
