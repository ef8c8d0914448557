package io.bucketload.core.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@code row_hash()}: rows that differ hash apart, and plain rows keep the hash they had. */
class RowHashTest {
  private static String hash(Object... values) {
    return ValueExpression.RowHash.of(values, null);
  }

  @Test
  void aSeparatorOrANullMarkInsideAValueDoesNotMakeTwoRowsAlike() {
    assertThat(hash("a\u001f", "b")).isNotEqualTo(hash("a", "\u001fb"));
    assertThat(hash("x", null)).isNotEqualTo(hash("x", "\u0000"));
    assertThat(hash("\u001b", "")).isNotEqualTo(hash("", "\u001b"));
    assertThat(hash("a\u001b0")).isNotEqualTo(hash("a\u0000"));
    assertThat(hash("", null)).isNotEqualTo(hash(null, ""));
  }

  @Test
  void aRowWithoutThoseCharactersHashesAsItAlwaysDid() throws Exception {
    // The values joined, each followed by U+001F, NULL as U+0000: what every earlier build hashed.
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest("x\u001f42\u001f\u0000\u001f".getBytes(StandardCharsets.UTF_8));

    assertThat(hash("x", 42L, null)).isEqualTo(HexFormat.of().formatHex(digest, 0, 16));
  }
}
