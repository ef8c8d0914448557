/**
 * SQL targets. Shared pieces: identifier quoting (names from CSV headers are always quoted, never
 * spliced) and the mapping of SQL failures to faults.
 */
package io.bucketload.jdbc;
