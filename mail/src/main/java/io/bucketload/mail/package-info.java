/**
 * The email notification channel ({@code notify: [{email: ...}]}): SMTP through Jakarta Mail with
 * Eclipse Angus, plain text and HTML parts of the same {@link
 * io.bucketload.core.notify.RunMessage}.
 */
package io.bucketload.mail;
