/** The SNS notification channel ({@code notify: [{sns: {topic: ARN}}]}). */
package io.bucketload.aws.sns;
