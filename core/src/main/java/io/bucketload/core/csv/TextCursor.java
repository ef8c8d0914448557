package io.bucketload.core.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;

/**
 * Reads characters one at a time from text already decoded and then from the rest of the input,
 * with characters put back when a look ahead did not match; what is left unread of the text (put
 * back characters first) can then be handed on. Not thread-safe.
 */
final class TextCursor {
  private final String text;
  private int position;
  private final ArrayDeque<Character> putBack = new ArrayDeque<>();
  private final Reader rest;

  TextCursor(String text, Reader rest) {
    this.text = text;
    this.rest = rest;
  }

  /** The next character, or -1 at the end of the input. */
  int read() throws IOException {
    if (!putBack.isEmpty()) {
      return putBack.pop();
    }
    if (position < text.length()) {
      return text.charAt(position++);
    }
    return rest.read();
  }

  /** Puts a character back: the next {@link #read()} returns it. */
  void unread(int c) {
    putBack.push((char) c);
  }

  /** What is left of the text, put back characters first; the rest of the input follows it. */
  String remainder() {
    StringBuilder left = new StringBuilder();
    putBack.forEach(left::append);
    left.append(text, position, text.length());
    return left.toString();
  }
}
