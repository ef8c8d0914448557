package io.bucketload.core.csv;

/**
 * One CSV record as read.
 *
 * @param line the line the record started on (1-based, counting the header)
 * @param fields the fields; a null element is a NULL (an unquoted null value, by default empty)
 * @param tooLong whether the record exceeded the dialect's {@code maxRecordChars} (its fields are
 *     then empty)
 */
public record RawRow(long line, String[] fields, boolean tooLong) {}
