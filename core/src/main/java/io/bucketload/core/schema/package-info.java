/**
 * Column types, strict value parsing, and the binding of a file's header to the declared schema.
 *
 * <p>Parsing never guesses: a value that does not fit its declared type is rejected with a reason,
 * never coerced.
 */
package io.bucketload.core.schema;
