/**
 * Where rows go: the {@link io.bucketload.core.target.Target} contract with its transactional,
 * chunked {@link io.bucketload.core.target.LoadTransaction} and {@link
 * io.bucketload.core.target.TableLoad}, the optional {@link io.bucketload.core.target.SqlSession}
 * of SQL targets, the {@link io.bucketload.core.target.Ledger} of what became of each file version,
 * and the {@link io.bucketload.core.target.TargetFactory} service through which adapter modules
 * plug in (and which checks the target section and every mode before a file is read).
 *
 * <p>The lifecycle of one unit of work (a file, or a file set): {@code begin()}; for each file
 * {@code load(plan)}, {@code write(chunk)} any number of times and {@code finish()}; on SQL targets
 * {@code sql().execute(step)} and {@code sql().export(query, out)}; then {@code commit(entries)}
 * (which records the ledger entries atomically with the rows where the target can) or {@code
 * abort()}, and always {@code close()}. When a file's parts are read on other machines, its load
 * may open a {@link io.bucketload.core.target.RowStage} that they write with a {@link
 * io.bucketload.core.target.StageWriter}; the load takes the {@link
 * io.bucketload.core.target.StagedRows} it is handed at {@code finish()}.
 *
 * <p>Nothing here is null: absent values are {@link java.util.Optional}s. Failures are {@link
 * io.bucketload.core.error.TargetException}s whose fault says whose they are.
 */
package io.bucketload.core.target;
