package io.bucketload.core.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes bytes strictly and knows the line of a byte sequence that is not valid in the charset: it
 * counts the line breaks (LF, CR, CRLF, as the CSV parser does) of everything decoded before it.
 * {@link java.io.InputStreamReader} reads ahead, so a parser's line is of no help there.
 */
final class StrictDecoder extends Reader {
  private final InputStream in;
  private final CharsetDecoder decoder;
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
  private boolean endOfInput;
  private boolean flushed;
  private final LineBreaks breaks = new LineBreaks();
  private final char[] pair = new char[2];
  private int pending = -1;

  /**
   * Of the line breaks counted in the bytes ({@link #countBytes}), the one the {@link #pending}
   * character makes: it is counted when decoded, but is not yet handed out.
   */
  private int pendingBreak;

  /**
   * Whether line breaks are counted in the bytes decoded rather than in the characters: for UTF-8
   * and one-byte encodings, where CR and LF are the bytes 0x0D and 0x0A and no other character
   * contains those bytes, eight bytes are looked at per step.
   */
  private final boolean countBytes;

  StrictDecoder(InputStream in, Charset charset) {
    this.in = in;
    this.decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.countBytes = breaksAreBytes(charset);
    bytes.flip();
  }

  private static boolean breaksAreBytes(Charset charset) {
    if (charset.equals(java.nio.charset.StandardCharsets.UTF_8)) {
      return true;
    }
    if (!charset.canEncode() || charset.newEncoder().maxBytesPerChar() != 1.0f) {
      return false;
    }
    byte[] breaks = "\r\n".getBytes(charset);
    return breaks.length == 2 && breaks[0] == '\r' && breaks[1] == '\n';
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (pending >= 0) {
      buffer[offset] = (char) pending;
      pending = -1;
      count(buffer, offset, offset + 1);
      return 1;
    }
    if (length == 1) {
      // A character outside the Basic Multilingual Plane takes two chars: decode both, hand out
      // one, keep the other for the next read.
      int n = decode(pair, 0, 2);
      if (n <= 0) {
        return n;
      }
      buffer[offset] = pair[0];
      if (n == 2) {
        pending = pair[1];
        pendingBreak =
            countBytes && (pending == '\r' || (pending == '\n' && pair[0] != '\r')) ? 1 : 0;
      }
      count(buffer, offset, offset + 1);
      return 1;
    }
    int n = decode(buffer, offset, length);
    if (n > 0) {
      count(buffer, offset, offset + n);
    }
    return n;
  }

  /** Decodes into {@code buffer}, at least one char unless at the end ({@code -1}). */
  private int decode(char[] buffer, int offset, int length) throws IOException {
    CharBuffer out = CharBuffer.wrap(buffer, offset, length);
    while (out.position() == offset) {
      if (flushed) {
        return -1;
      }
      int consumedFrom = bytes.position();
      CoderResult result = decoder.decode(bytes, out, endOfInput);
      if (countBytes) {
        breaks.scanBytes(bytes.array(), consumedFrom, bytes.position());
      }
      if (result.isError()) {
        count(buffer, offset, out.position());
        throw new InvalidTextException(breaks.count() + 1, decoder.charset());
      }
      if (result.isOverflow()) {
        break;
      }
      if (endOfInput) {
        decoder.flush(out);
        flushed = true;
        break;
      }
      bytes.compact();
      int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (read < 0) {
        endOfInput = true;
      } else {
        bytes.position(bytes.position() + read);
      }
      bytes.flip();
    }
    int produced = out.position() - offset;
    return produced == 0 && flushed ? -1 : produced;
  }

  /** The line breaks in the text handed out so far (LF, CR, CRLF each one). */
  long lineBreaks() {
    return breaks.count() - (pending >= 0 ? pendingBreak : 0);
  }

  /** Whether the text handed out so far ends with a carriage return. */
  boolean lastWasCarriageReturn() {
    return pending >= 0 && countBytes ? pair[0] == '\r' : breaks.afterCarriageReturn();
  }

  /** Counts the line breaks of characters handed out, unless they were counted as bytes. */
  private void count(char[] buffer, int from, int to) {
    if (!countBytes) {
      breaks.scan(buffer, from, to);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Bytes that are not valid text in the charset, on a known line. */
  static final class InvalidTextException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long line;
    private final transient Charset charset;

    InvalidTextException(long line, Charset charset) {
      super("bytes that are not valid text in the declared encoding");
      this.line = line;
      this.charset = charset;
    }

    long line() {
      return line;
    }

    /** The encoding the bytes were decoded with. */
    Charset charset() {
      return charset;
    }
  }
}
