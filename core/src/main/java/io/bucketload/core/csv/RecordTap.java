package io.bucketload.core.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes decoded text on to the CSV parser and keeps what the parser may still need to have read
 * again: the text from the start of the record it is reading. When the parser fails on a record,
 * {@link #from(long)} gives that record's text followed by the rest of the input, so that reading
 * can go on after it. Line numbers are relative to the tap's start (line 1), counted as the parser
 * counts them (LF, CR, CRLF); for text from the decoder they come from the decoder's own count, so
 * the tap only copies. Not thread-safe.
 */
final class RecordTap extends Reader {
  /**
   * Text as read, with the line its first character is on, and whether the text before it ended
   * with a carriage return (then a line feed at its start is the second half of that line break).
   */
  private record Chunk(char[] chars, int length, long firstLine, boolean afterCarriageReturn) {}

  private final StrictDecoder decoder;
  private final String prefix;
  private int prefixPosition;
  private final LineBreaks prefixBreaks = new LineBreaks();
  private final long decoderLineBase;
  private final List<Chunk> chunks = new ArrayList<>();
  private final ArrayDeque<char[]> spare = new ArrayDeque<>();
  private int head;

  /**
   * A tap over {@code prefix} (text already decoded, starting on line 1), then the decoder.
   *
   * @param decoder the rest of the input
   * @param prefix text taken from the decoder earlier and not yet parsed; may be empty
   */
  RecordTap(StrictDecoder decoder, String prefix) {
    this.decoder = decoder;
    this.prefix = prefix;
    LineBreaks breaks = new LineBreaks();
    breaks.scan(prefix, 0, prefix.length());
    this.decoderLineBase = 1 + breaks.count() - decoder.lineBreaks();
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (prefixPosition < prefix.length()) {
      int n = Math.min(length, prefix.length() - prefixPosition);
      prefix.getChars(prefixPosition, prefixPosition + n, buffer, offset);
      keep(buffer, offset, n, 1 + prefixBreaks.count(), prefixBreaks.afterCarriageReturn());
      prefixBreaks.scan(prefix, prefixPosition, prefixPosition + n);
      prefixPosition += n;
      return n;
    }
    long firstLine = decoderLineBase + decoder.lineBreaks();
    boolean afterCarriageReturn = decoder.lastWasCarriageReturn();
    int n = decoder.read(buffer, offset, length);
    if (n > 0) {
      keep(buffer, offset, n, firstLine, afterCarriageReturn);
    }
    return n;
  }

  private void keep(char[] buffer, int offset, int n, long firstLine, boolean afterCarriageReturn) {
    char[] copy = spare.isEmpty() || spare.peek().length < n ? new char[n] : spare.pop();
    System.arraycopy(buffer, offset, copy, 0, n);
    chunks.add(new Chunk(copy, n, firstLine, afterCarriageReturn));
  }

  /** The parser started a record on {@code line}: text on earlier lines is no longer needed. */
  void recordStarted(long line) {
    while (chunks.size() - head > 1 && chunks.get(head + 1).firstLine() < line) {
      Chunk released = chunks.set(head++, null);
      if (spare.size() < 4) {
        spare.push(released.chars());
      }
    }
    if (head > 64 && head * 2 > chunks.size()) {
      chunks.subList(0, head).clear();
      head = 0;
    }
  }

  /**
   * The kept text from the start of {@code line} (a line the parser started a record on), which the
   * tap gives up: the caller reads it, then the {@link #decoder()}.
   */
  String from(long line) {
    StringBuilder kept = new StringBuilder();
    if (chunks.size() > head) {
      long first = chunks.get(head).firstLine();
      LineBreaks breaks = new LineBreaks(chunks.get(head).afterCarriageReturn());
      for (Chunk chunk : chunks.subList(head, chunks.size())) {
        for (int i = 0; i < chunk.length(); i++) {
          char c = chunk.chars()[i];
          boolean secondHalf = breaks.afterCarriageReturn() && c == '\n';
          if (first + breaks.count() >= line && !(secondHalf && kept.length() == 0)) {
            kept.append(c);
          }
          breaks.see(c);
        }
      }
    }
    kept.append(prefix, prefixPosition, prefix.length());
    chunks.clear();
    head = 0;
    prefixPosition = prefix.length();
    return kept.toString();
  }

  /** The input after what the tap has read. */
  StrictDecoder decoder() {
    return decoder;
  }

  @Override
  public void close() throws IOException {
    decoder.close();
  }
}
