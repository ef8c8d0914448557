package io.bucketload.core.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void anUnknownKeyIsNamedWithTheValidOnesAMappingByItsOwnName() {
    Settings source =
        new Settings(
            "source",
            Map.of("headers.X-Api-Key", "abc", "hedaers", "1"),
            Map.of("headers.X-Api-Key", 2, "hedaers", 2),
            "p.yaml",
            Path.of("."),
            Set.of("path", "match"));

    assertThatThrownBy(() -> source.allowOnly(Set.of("headers.X-Api-Key", "timeout")))
        .hasMessage(
            "p.yaml line 2: source.hedaers: unknown key for this source; expected one of headers,"
                + " match, path, timeout");
  }
}
