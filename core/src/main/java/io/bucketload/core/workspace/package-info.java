/**
 * The workspace of a pipeline's {@code sql} step: an embedded SQL engine that holds the validated
 * rows of a file set's inputs as tables, runs the step's query within a memory limit (spilling to
 * disk beyond it) and hands its result back in chunks to load into any target. Core holds the
 * contract; the engine (DuckDB) is found with {@link java.util.ServiceLoader}.
 */
package io.bucketload.core.workspace;
