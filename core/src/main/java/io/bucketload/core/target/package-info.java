/**
 * Where rows go: the {@link io.bucketload.core.target.Target} contract with its transactional,
 * chunked {@link io.bucketload.core.target.LoadTransaction} and {@link
 * io.bucketload.core.target.TableLoad}, the {@link io.bucketload.core.target.Ledger} of loaded file
 * versions, and the {@link io.bucketload.core.target.TargetFactory} service through which adapter
 * modules plug in.
 *
 * <p>The lifecycle of one unit of work (a file, or a file set): {@code begin()}; for each file
 * {@code load(plan)}, {@code write(chunk)} any number of times and {@code finish()}; the pipeline's
 * {@code execute(sql)} and {@code export(query)}; then {@code commit(entries)} (which records the
 * ledger entries atomically with the rows where the target can) or {@code abort()}, and always
 * {@code close()}.
 */
package io.bucketload.core.target;
