/**
 * The SQS trigger: S3 event notifications (direct, through SNS, or EventBridge "Object Created")
 * read from a queue and turned into loads, a message deleted only once its files committed.
 */
package io.bucketload.aws.sqs;
