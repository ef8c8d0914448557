/**
 * The PostgreSQL target ({@code target.type: postgres}): rows travel through {@code COPY ... FROM
 * STDIN}, straight into the table or through a temporary staging table where the mode merges by
 * key; the ledger table {@code bucketload_ledger} lives in the target schema and commits in the
 * same transaction as the rows.
 */
package io.bucketload.jdbc.postgres;
