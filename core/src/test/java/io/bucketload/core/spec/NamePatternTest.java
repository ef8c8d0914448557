package io.bucketload.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamePatternTest {
  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(
      delimiter = ';',
      nullValues = "NONE",
      textBlock =
          """
          orders*.csv          ; orders_2026-11-21.csv   ; _2026-11-21
          orders*.csv          ; orders.csv              ; ''
          orders*.csv          ; reviews.csv             ; NONE
          orders*.csv          ; in/orders.csv           ; NONE
          orders.csv           ; orders.csv              ; ''
          **/orders_*.csv      ; a/b/orders_7.csv        ; a/b|7
          day-?/*.csv          ; day-3/x.csv             ; 3|x
          [0-9]*.csv           ; 7up.csv                 ; up
          [!0-9]*.csv          ; 7up.csv                 ; NONE
          *.{csv,csv.gz}       ; a.csv.gz                ; a
          {a*,b}.txt           ; b.txt                   ; ''
          a\\*.csv             ; a*.csv                  ; ''
          a\\*.csv             ; ab.csv                  ; NONE
          orders(1).csv        ; orders(1).csv           ; ''
          """)
  void tellsWhatTheWildcardsMatched(String glob, String key, String wildcards) {
    NamePattern pattern = NamePattern.of(glob);
    assertThat(pattern.matches(key)).isEqualTo(wildcards != null);
    if (wildcards == null) {
      assertThat(pattern.wildcardText(key)).isEmpty();
    } else {
      assertThat(pattern.wildcardText(key)).contains(wildcards);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a{b                | '{' without '}'
          a}b                | '}' without '{'
          a{b,{c}}           | cannot be nested
          a[bc               | '[' without ']'
          'a\\'              | cannot end with
          """)
  void rejectsBrokenGlobs(String glob, String message) {
    assertThatThrownBy(() -> NamePattern.of(glob))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
