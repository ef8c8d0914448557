/**
 * The bucketload engine: plain Java, no database driver and no cloud SDK.
 *
 * <p>Data flows one way: a {@link io.bucketload.core.source.Source} opens a stream of an object,
 * the {@link io.bucketload.core.csv.CsvRowReader} streams its records, {@link
 * io.bucketload.core.schema.BoundSchema} validates and converts them, {@link
 * io.bucketload.core.transform.RowShape} applies the transforms, and a {@link
 * io.bucketload.core.target.LoadTransaction} writes chunks and commits them together with the
 * {@link io.bucketload.core.target.Ledger} entry. {@link io.bucketload.core.run.PipelineRunner}
 * drives it and produces the {@link io.bucketload.core.run.RunReport}.
 */
package io.bucketload.core;
