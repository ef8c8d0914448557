package io.bucketload.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ColumnNamesTest {
  @Test
  void onlyTheCaseOfAsciiLettersIsIgnoredAsDuckDbDoes() {
    assertThat(ColumnNames.same("Order_ID", "order_id")).isTrue();
    assertThat(ColumnNames.same("sira", "SIRA")).isTrue();
    // Letters that Java's equalsIgnoreCase or toLowerCase would fold into ASCII ones.
    assertThat(ColumnNames.same("s\u0131ra", "sira")).isFalse();
    assertThat(ColumnNames.same("\u0130d", "id")).isFalse();
    assertThat(ColumnNames.same("\u017Fum", "sum")).isFalse();
    assertThat(ColumnNames.same("\u00C9t\u00E9", "\u00E9t\u00E9")).isFalse();
    assertThat(ColumnNames.same("K", "\u212A")).isFalse();
    assertThat(ColumnNames.folded("Amount_EUR")).isEqualTo("amount_eur");
    assertThat(ColumnNames.folded("\u00C9T\u00C9")).isEqualTo("\u00C9t\u00C9");
  }

  @Test
  void namesAreShownWithTheirInvisibleCharactersAsCodes() {
    assertThat(ColumnNames.shown("b\u00A0")).isEqualTo("b\\u00A0");
    assertThat(ColumnNames.shown("\uFEFFid")).isEqualTo("\\uFEFFid");
    assertThat(ColumnNames.shown("na\u200Bme")).isEqualTo("na\\u200Bme");
    assertThat(ColumnNames.shown("caf\u00E9 d'or")).isEqualTo("caf\u00E9 d'or");
  }
}
