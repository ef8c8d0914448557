package io.bucketload.core.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of one part of a file ({@link RecordSplitter.Part}) as a stream, which knows whether
 * its reader has reached the part's end. Not thread-safe; one per part.
 */
public final class PartInput extends InputStream {
  private final FileChannel channel;
  private final long end;
  private long position;
  private boolean ended;

  private PartInput(FileChannel channel, long start, long end) {
    this.channel = channel;
    this.position = start;
    this.end = end;
  }

  /**
   * Opens bytes {@code [part.start(), part.end())} of {@code file}.
   *
   * @throws IOException when the file cannot be opened
   */
  public static PartInput open(Path file, RecordSplitter.Part part) throws IOException {
    return new PartInput(FileChannel.open(file, StandardOpenOption.READ), part.start(), part.end());
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
  public int read(byte[] bytes, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    long left = end - position;
    if (left <= 0) {
      ended = true;
      return -1;
    }
    int n = channel.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, left)), position);
    if (n < 0) {
      throw new java.io.EOFException("the file became shorter while it was read");
    }
    position += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
