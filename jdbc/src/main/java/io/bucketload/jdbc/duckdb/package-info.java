/**
 * The embedded default target: a DuckDB file. Rows go through DuckDB's appender; the ledger table
 * {@code bucketload_ledger} lives in the same file and commits in the same transaction as the rows.
 */
package io.bucketload.jdbc.duckdb;
