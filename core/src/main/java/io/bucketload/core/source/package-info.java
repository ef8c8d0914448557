/**
 * Where files come from and where bucketload writes back: the read-only {@link
 * io.bucketload.core.source.Source} contract (list, own, resolve, identify, open; closable), the
 * {@link io.bucketload.core.source.OutputStore} for rejects, failed copies and exports (beside the
 * files, or under {@code source.output}), and their local-folder implementations. Object stores
 * implement both contracts in the {@code aws} module through {@link
 * io.bucketload.core.source.SourceFactory}.
 *
 * <p>Failures of a source's stream are {@link io.bucketload.core.source.SourceReadException}s
 * (system failures), told apart from bytes that arrive but do not decode (the file's fault).
 */
package io.bucketload.core.source;
