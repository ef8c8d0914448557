/**
 * Where a process keeps what it writes to local disk while a load runs (a file's spooled rows, the
 * keys a DynamoDB {@code sync} spills, a downloaded copy): one folder per process, removed when the
 * process ends, and found and removed by a later process when it was killed.
 */
package io.bucketload.core.scratch;
