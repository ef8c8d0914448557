package io.bucketload.core.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file's bytes, read with positional reads of its own channel per stream. */
public final class LocalFileBytes implements FileBytes {
  private final Path file;
  private final long size;

  /**
   * The bytes of {@code file} as they are now.
   *
   * @throws IOException when the file cannot be read
   */
  public LocalFileBytes(Path file) throws IOException {
    this.file = file;
    this.size = java.nio.file.Files.size(file);
  }

  /** The file. */
  public Path file() {
    return file;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public InputStream open(long start, long end) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    return new InputStream() {
      private long position = start;

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
          return -1;
        }
        int n =
            channel.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, left)), position);
        if (n > 0) {
          position += n;
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  @Override
  public boolean local() {
    return true;
  }

  @Override
  public String pin() {
    return "";
  }

  @Override
  public String describe() {
    return file.toString();
  }
}
