/**
 * The DynamoDB target: typed items written with parallel {@code BatchWriteItem} calls whose
 * concurrency adapts to throttling, and a ledger whose conditional-write claims with a lease make
 * each file version load once across workers.
 */
package io.bucketload.aws.dynamodb;
