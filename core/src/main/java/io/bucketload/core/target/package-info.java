/**
 * Where rows go: the {@link io.bucketload.core.target.Target} contract with its transactional,
 * chunked {@link io.bucketload.core.target.LoadTransaction}, the {@link
 * io.bucketload.core.target.Ledger} of loaded file versions, and the {@link
 * io.bucketload.core.target.TargetFactory} service through which adapter modules plug in.
 *
 * <p>The lifecycle of one file: {@code begin(plan)}, {@code write(chunk)} any number of times, then
 * {@code commit(entry)} (which records the ledger entry atomically with the rows where the target
 * can) or {@code abort()}, and always {@code close()}.
 */
package io.bucketload.core.target;
