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
  private long position;
  private boolean ended;

  private PartInput(InputStream bytes, long start, long end) {
    this.bytes = bytes;
    this.position = start;
    this.end = end;
  }

  /**
   * Opens bytes {@code [part.start(), part.end())} of {@code file}.
   *
   * @throws IOException when the file cannot be opened
   */
  public static PartInput open(FileBytes file, RecordSplitter.Part part) throws IOException {
    return new PartInput(file.open(part.start(), part.end()), part.start(), part.end());
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
