package io.bucketload.core.schema;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * ASCII digits read eight bytes at a time: a word of the bytes, a test that the bytes a mask
 * selects are all digits, and the value of up to 18 digits. Stateless.
 */
final class AsciiDigits {
  private AsciiDigits() {}

  /** {@code '0'} in every byte: subtracted from digit bytes, it leaves their values. */
  static final long ZEROS = 0x3030303030303030L;

  private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;
  private static final long SIXES = 0x0606060606060606L;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The eight bytes at {@code index} (eight must follow it), the first in the lowest bits. */
  static long word(byte[] bytes, int index) {
    return (long) LONGS.get(bytes, index);
  }

  /** Whether every byte of {@code word} that {@code mask} selects is an ASCII digit. */
  static boolean digitsIn(long word, long mask) {
    long zeros = mask & ZEROS;
    long nibbles = mask & HIGH_NIBBLES;
    // 0x30-0x3F, then (adding 6, which carries out of no such byte) 0x30-0x39.
    return (word & nibbles) == zeros && (((word & mask) + (mask & SIXES)) & nibbles) == zeros;
  }

  /** A mask of the lowest {@code count} bytes of a word (1 to 8). */
  static long lowBytes(int count) {
    return count == 8 ? -1L : (1L << (8 * count)) - 1;
  }

  /**
   * The value of the first {@code count} bytes of {@code word} (1 to 8), each a digit ({@link
   * #digitsIn}), the first the most significant.
   */
  static long valueOf(long word, int count) {
    // The digits' values, moved up so that the leading lanes are zeros; then pairs, fours and
    // the eight combined.
    long mask = lowBytes(count);
    long digits = ((word & mask) - (mask & ZEROS)) << (8 * (8 - count));
    digits = (digits * 10 + (digits >>> 8)) & 0x00FF00FF00FF00FFL;
    digits = (digits * 100 + (digits >>> 16)) & 0x0000FFFF0000FFFFL;
    return (digits * 10_000 + (digits >>> 32)) & 0xFFFFFFFFL;
  }

  /**
   * The value of the digits from {@code start} to {@code end} (at most 18; 0 for none), or -1 when
   * a byte is not a digit. Up to eight digits followed by enough bytes of the array are read as one
   * word.
   */
  static long value(byte[] bytes, int start, int end) {
    int count = end - start;
    if (count > 0 && count <= 8 && start + 8 <= bytes.length) {
      long mask = lowBytes(count);
      long word = word(bytes, start);
      return digitsIn(word, mask) ? valueOf(word, count) : -1;
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
