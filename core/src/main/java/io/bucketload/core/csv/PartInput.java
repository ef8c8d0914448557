package io.bucketload.core.csv;

import io.bucketload.core.source.FileBytes;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one part of a file ({@link RecordSplitter.Part}) as a stream, which knows whether
 * its reader has reached the part's end. Not thread-safe; one per part.
 */
public final class PartInput extends InputStream {
  private final InputStream bytes;
  private final long end;
  private final boolean afterBlankLine;
  private long position;
  private boolean ended;

  private PartInput(InputStream bytes, long start, long end, boolean afterBlankLine) {
    this.bytes = bytes;
    this.position = start;
    this.end = end;
    this.afterBlankLine = afterBlankLine;
  }

  /** How many bytes before a part tell whether the line that ends there is blank. */
  private static final int LOOK_BACK = 3;

  /**
   * Opens bytes {@code [part.start(), part.end())} of {@code file}, reading the few bytes before
   * them on the same stream to know whether the part follows a blank line ({@link
   * #afterBlankLine()}).
   *
   * @throws IOException when the file cannot be opened or read
   */
  public static PartInput open(FileBytes file, RecordSplitter.Part part) throws IOException {
    long from = Math.max(0, part.start() - LOOK_BACK);
    InputStream stream = file.open(from, part.end());
    byte[] before;
    try {
      before = stream.readNBytes((int) (part.start() - from));
      if (before.length < part.start() - from) {
        throw new java.io.EOFException("the file became shorter while it was read");
      }
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
    return new PartInput(stream, part.start(), part.end(), blankLineEnds(before));
  }

  /**
   * Whether the line that {@code before}'s last bytes end (LF, CR LF or a CR alone) is empty: the
   * byte before its line break is a line break too.
   */
  private static boolean blankLineEnds(byte[] before) {
    int n = before.length;
    if (n == 0 || (before[n - 1] != '\n' && before[n - 1] != '\r')) {
      return false;
    }
    int lineEnd = before[n - 1] == '\n' && n >= 2 && before[n - 2] == '\r' ? n - 2 : n - 1;
    return lineEnd >= 1 && (before[lineEnd - 1] == '\n' || before[lineEnd - 1] == '\r');
  }

  /**
   * Whether the part follows a blank line, which the reader takes as a record without fields: what
   * a value of the part's first record is measured against for lines shaped like records.
   */
  public boolean afterBlankLine() {
    return afterBlankLine;
  }

  /** Whether a read has asked for more than the part holds: its reader has seen all of it. */
  public boolean ended() {
    return ended;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    long left = end - position;
    if (left <= 0) {
      ended = true;
      return -1;
    }
    int n = bytes.read(buffer, offset, (int) Math.min(length, left));
    if (n < 0) {
      throw new java.io.EOFException("the file became shorter while it was read");
    }
    position += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    bytes.close();
  }
}
