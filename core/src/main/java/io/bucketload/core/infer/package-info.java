/**
 * Schema inference: the narrowest type every value of a column fits, over the whole file, so that a
 * pipeline generated from a file never rejects a row of that same file.
 */
package io.bucketload.core.infer;
