package io.bucketload.core.csv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Eight bytes looked at in one step: the bytes of a {@code long} that equal a given byte. */
final class ByteWords {
  private ByteWords() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;

  /** The high bit of every byte: the bytes of {@code word & HIGH} that are not ASCII. */
  static final long HIGH = 0x8080808080808080L;

  /** LF in every byte. */
  static final long FEEDS = everyByte((byte) '\n');

  /** CR in every byte. */
  static final long RETURNS = everyByte((byte) '\r');

  /** 0x20, a space, in every byte. */
  private static final long SPACES = everyByte((byte) ' ');

  /**
   * The high bit of the bytes of {@code word} below 0x20 (the control characters) or not ASCII,
   * exact up to the first of them (a borrow can mark bytes after it).
   */
  static long belowSpaceOrHigh(long word) {
    return ((word - SPACES) | word) & HIGH;
  }

  /** The eight bytes at {@code index}, the first in the lowest bits. */
  static long at(byte[] bytes, int index) {
    return (long) LONGS.get(bytes, index);
  }

  /** {@code b} in each of a word's eight bytes. */
  static long everyByte(byte b) {
    return (b & 0xFFL) * 0x0101010101010101L;
  }

  /**
   * The high bit of each byte of {@code word} equal to the byte of {@code pattern} ({@link
   * #everyByte}); the other bits clear.
   */
  static long equalBytes(long word, long pattern) {
    long differ = word ^ pattern;
    return ~(((differ & LOW_SEVEN) + LOW_SEVEN) | differ | LOW_SEVEN);
  }

  /** The index in its word of the first byte whose high bit {@code found} has set. */
  static int firstByte(long found) {
    return Long.numberOfTrailingZeros(found) >>> 3;
  }
}
