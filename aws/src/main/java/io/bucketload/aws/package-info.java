/**
 * AWS adapters: the S3 source ({@code s3://bucket/prefix/}, also for S3-compatible stores), the
 * DynamoDB target with its lease-based ledger, and the SQS trigger that turns S3 event
 * notifications into loads. Credentials come from the AWS default chain only.
 */
package io.bucketload.aws;
