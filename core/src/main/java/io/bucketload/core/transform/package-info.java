/**
 * Row transforms ({@code rename}, {@code drop}, {@code add}) compiled once per file into a {@link
 * io.bucketload.core.transform.RowShape}, so that the per-row work is an array copy.
 */
package io.bucketload.core.transform;
