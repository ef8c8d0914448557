/**
 * What starts runs without a person: the {@link io.bucketload.core.trigger.Trigger} contract, whose
 * {@link io.bucketload.core.trigger.Delivery deliveries} are acknowledged when their files'
 * outcomes are final and released with {@link io.bucketload.core.trigger.Backoff backoff} when a
 * later attempt may succeed, and {@link io.bucketload.core.trigger.TriggeredRuns}, which runs a
 * pipeline for each delivery. Kinds of trigger plug in through {@link
 * io.bucketload.core.trigger.TriggerFactory}.
 */
package io.bucketload.core.trigger;
