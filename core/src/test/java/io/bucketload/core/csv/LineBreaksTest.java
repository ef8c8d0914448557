package io.bucketload.core.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LineBreaksTest {
  private static long oneByOne(String text) {
    LineBreaks breaks = new LineBreaks();
    for (int i = 0; i < text.length(); i++) {
      breaks.see(text.charAt(i));
    }
    return breaks.count();
  }

  @Test
  void piecesCountAsTheWholeTextCharacterByCharacter() {
    Random random = new Random(7);
    String[] parts = {"a", "bc", ",", "\n", "\r", "\r\n", "\n\n", "\r\r", "x\ty", "\u000b"};
    for (int round = 0; round < 2_000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(60);
      for (int i = 0; i < length; i++) {
        String part = parts[random.nextInt(parts.length)];
        // Most texts have no carriage return at all, as most files.
        text.append(round % 2 == 0 ? part.replace('\r', 'r') : part);
      }
      char[] chars = text.toString().toCharArray();
      LineBreaks pieces = new LineBreaks();
      int from = 0;
      while (from < chars.length) {
        int to = Math.min(chars.length, from + random.nextInt(6));
        pieces.scan(chars, from, to);
        from = to;
      }
      LineBreaks whole = new LineBreaks();
      whole.scan(chars, 0, chars.length);
      byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      LineBreaks bytePieces = new LineBreaks();
      from = 0;
      while (from < bytes.length) {
        int to = Math.min(bytes.length, from + random.nextInt(20));
        bytePieces.scanBytes(bytes, from, to);
        from = to;
      }
      assertThat(bytePieces.count()).as("%s", text).isEqualTo(oneByOne(text.toString()));
      assertThat(bytePieces.afterCarriageReturn()).isEqualTo(pieces.afterCarriageReturn());

      assertThat(pieces.count()).as("%s", text).isEqualTo(oneByOne(text.toString()));
      assertThat(whole.count()).as("%s", text).isEqualTo(oneByOne(text.toString()));
      assertThat(pieces.afterCarriageReturn())
          .isEqualTo(chars.length > 0 && chars[chars.length - 1] == '\r');
    }
  }

  @Test
  void aCrlfSplitBetweenPiecesWithoutAnotherCarriageReturnCountsOnce() {
    LineBreaks breaks = new LineBreaks();
    breaks.scan("a\r".toCharArray(), 0, 2);
    breaks.scan("\nb\nc".toCharArray(), 0, 4);
    assertThat(breaks.count()).isEqualTo(2);
    assertThat(breaks.afterCarriageReturn()).isFalse();
  }
}
