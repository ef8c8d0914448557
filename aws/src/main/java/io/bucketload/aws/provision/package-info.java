/**
 * What a pipeline needs in AWS, derived from its file: the bucket and its event notification, the
 * queue and its dead-letter queue, the DynamoDB tables and the SNS topics. {@code provision} makes
 * them, {@code teardown} removes what provision made, {@code template} writes them as a
 * CloudFormation (SAM) template, and {@code upload} puts files where the pipeline's event starts a
 * load.
 */
package io.bucketload.aws.provision;
