/**
 * The AWS Lambda entry point: S3 and SQS events adapted to runs of one pipeline, read from the
 * package or from S3. The handler only adapts events; loading is the core's and the adapters'.
 */
package io.bucketload.lambda;
