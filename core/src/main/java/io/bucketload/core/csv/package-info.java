/**
 * Streaming, strict CSV reading on top of FastCSV: RFC 4180 quoting, LF/CRLF, a UTF-8 BOM removed,
 * declared encodings decoded strictly, gzip detected by its magic bytes, limits on field and record
 * length, and errors that name the file and line.
 */
package io.bucketload.core.csv;
