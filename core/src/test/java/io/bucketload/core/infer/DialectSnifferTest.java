package io.bucketload.core.infer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DialectSnifferTest {
  private static DialectSniffer.Guess guess(String... lines) {
    return DialectSniffer.guess(List.of(lines), Optional.empty(), '"');
  }

  @Test
  void findsAPreambleAMultiCharacterDelimiterAndATrailingOne() {
    assertThat(
            guess(
                "Sales export",
                "Generated 2024-01-01, all regions",
                "id||name||amount||",
                "1||Ada||1.5||",
                "2||Grace||2.25||"))
        .isEqualTo(new DialectSniffer.Guess("||", 2, true));
  }

  @Test
  void aPlainFileIsCommaSeparatedFromItsFirstLine() {
    assertThat(guess("id,name,note", "1,Ada,\"a, b\"", "2,Grace,x"))
        .isEqualTo(new DialectSniffer.Guess(",", 0, false));
  }

  @Test
  void commaAndSpaceWhenEveryCommaHasItsSpaceAndSemicolonsOtherwise() {
    assertThat(guess("id, name", "1, Ada", "2, Grace").delimiter()).isEqualTo(", ");
    assertThat(guess("id;name;city", "1;Ada;Paris, France").delimiter()).isEqualTo(";");
    assertThat(guess("id\tname", "1\tAda").delimiter()).isEqualTo("\t");
  }

  @Test
  void aGivenDelimiterIsKeptAndThePreambleStillFound() {
    assertThat(DialectSniffer.guess(List.of("Report", "a;b", "1;2"), Optional.of(";"), '"'))
        .isEqualTo(new DialectSniffer.Guess(";", 1, false));
  }
}
