/**
 * Where files come from: the {@link io.bucketload.core.source.Source} contract (list, identify,
 * open, write beside) and the local folder source. Object stores implement the same contract.
 */
package io.bucketload.core.source;
