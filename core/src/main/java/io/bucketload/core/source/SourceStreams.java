package io.bucketload.core.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Wraps a source's stream so that its failures are {@link SourceReadException}s. */
public final class SourceStreams {
  private SourceStreams() {}

  /**
   * A stream that reads {@code in} and turns each of its failures into a {@link
   * SourceReadException} naming {@code location}. Closing it closes {@code in}.
   */
  public static InputStream guarded(InputStream in, String location) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException e) {
          throw wrap(e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (IOException e) {
          throw wrap(e);
        }
      }

      @Override
      public long skip(long n) throws IOException {
        try {
          return super.skip(n);
        } catch (IOException e) {
          throw wrap(e);
        }
      }

      @Override
      public boolean markSupported() {
        return false;
      }

      private IOException wrap(IOException e) {
        if (e instanceof SourceReadException) {
          return e;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // A source's own message may name the location already (an HTTP source's does).
        if (message.startsWith(location + ": ")) {
          message = message.substring(location.length() + 2);
        }
        return new SourceReadException(location + ": cannot read: " + message, e);
      }
    };
  }
}
