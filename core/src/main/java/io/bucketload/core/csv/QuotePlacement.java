package io.bucketload.core.csv;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether every quote of a file stands where RFC 4180 puts it: opening a field, doubled inside a
 * quoted field, or closing one right before a delimiter or the end of a record. A quote inside an
 * unquoted field ({@code ab"c}), text after a closing quote, or a quoted field never closed is what
 * bucketload's reader rejects ({@link CsvDialect.BareQuotes#REJECT}) and other readers take as
 * text. Only the quotes are looked at, each with the bytes beside it: the bytes between them are
 * searched eight at a time.
 */
public final class QuotePlacement {
  private QuotePlacement() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * Checks an ASCII-compatible file (UTF-8, its byte order mark allowed).
   *
   * @param delimiter the field separator, an ASCII character
   * @param quote the quote character, an ASCII character
   * @return whether every quote is placed as RFC 4180 places it
   * @throws IOException when the file cannot be read
   */
  public static boolean plain(Path file, char delimiter, char quote) throws IOException {
    return plain(file, delimiter, quote, 1 << 16);
  }

  /** {@link #plain(Path, char, char)}, reading {@code bufferBytes} (at least 4) at a time. */
  static boolean plain(Path file, char delimiter, char quote, int bufferBytes) throws IOException {
    if (bufferBytes < 4) {
      throw new IllegalArgumentException("the buffer needs at least 4 bytes");
    }
    if (delimiter >= 0x80 || quote >= 0x80) {
      throw new IllegalArgumentException("the delimiter and the quote must be ASCII");
    }
    byte separator = (byte) delimiter;
    byte quoteByte = (byte) quote;
    long pattern = ONES * quote;
    boolean quoted = false;
    // A quote inside a quoted field was the last byte of the buffer: the next byte decides.
    boolean pending = false;
    byte before = '\n';
    byte[] buffer = new byte[bufferBytes];
    boolean first = true;
    try (InputStream in = Files.newInputStream(file)) {
      for (int read = in.readNBytes(buffer, 0, buffer.length);
          read > 0;
          read = in.readNBytes(buffer, 0, buffer.length)) {
        int start = 0;
        if (first) {
          first = false;
          if (read >= 3
              && buffer[0] == (byte) 0xEF
              && buffer[1] == (byte) 0xBB
              && buffer[2] == (byte) 0xBF) {
            start = 3;
          }
        }
        int i = start;
        if (pending) {
          pending = false;
          byte after = buffer[0];
          if (after == quoteByte) {
            i = 1;
          } else if (ends(after, separator)) {
            quoted = false;
          } else {
            return false;
          }
        }
        for (int at = next(buffer, i, read, quoteByte, pattern);
            at >= 0;
            at = next(buffer, i, read, quoteByte, pattern)) {
          if (!quoted) {
            byte previous = at == start ? before : buffer[at - 1];
            if (!ends(previous, separator)) {
              return false;
            }
            quoted = true;
            i = at + 1;
          } else if (at + 1 == read) {
            pending = true;
            i = read;
          } else {
            byte after = buffer[at + 1];
            if (after == quoteByte) {
              i = at + 2;
            } else if (ends(after, separator)) {
              quoted = false;
              i = at + 1;
            } else {
              return false;
            }
          }
        }
        before = buffer[read - 1];
      }
    }
    return pending || !quoted;
  }

  /** Whether a byte ends a field: the delimiter or a line break. */
  private static boolean ends(byte b, byte separator) {
    return b == separator || b == '\n' || b == '\r';
  }

  /** The index of the next quote in {@code buffer[from, to)}, or -1. */
  private static int next(byte[] buffer, int from, int to, byte quote, long pattern) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long x = (long) LONGS.get(buffer, i) ^ pattern;
      long found = (x - ONES) & ~x & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (buffer[i] == quote) {
        return i;
      }
    }
    return -1;
  }
}
