package io.bucketload.core.csv;

/**
 * One CSV record as read.
 *
 * @param line the line the record started on (1-based, counting the header)
 * @param fields the fields; a null element is a NULL (an unquoted null value, by default empty)
 * @param tooLong whether a field exceeded the dialect's {@code maxFieldChars} (the fields are then
 *     not kept: the record can only be rejected)
 */
public record RawRow(long line, String[] fields, boolean tooLong) {}
