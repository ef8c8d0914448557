package io.bucketload.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast path agrees with java.time's ISO parser on every text it answers for. */
class CanonicalTimestampTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-01-02T03:04:05",
        "2024-01-02 03:04:05",
        "2024-01-02T03:04",
        "2024-12-31T23:59:59.999999999",
        "2024-12-31T23:59:59.5",
        "2024-02-29T00:00:00Z",
        "2024-01-02T03:04:05+02:00",
        "2024-01-02T03:04:05-11:30",
        "2023-02-29T00:00:00",
        "2024-13-01T00:00:00",
        "2024-01-02T24:00:00",
        "2024-01-02T03:04:60",
        "2024-01-02T03:04:05.",
        "2024-01-02T03:04:05.1234567891",
        "2024-01-02T03:04:05+0200",
        "2024-01-02T03:04:05 ",
        "2024-01-02X03:04:05",
        "2024-1-02T03:04:05",
        "+2024-01-02T03:04:05",
        "2024-01-02T03:04:05+19:00",
        "2024-01-02T03:04:05[Europe/Paris]"
      })
  void agreesWithTheGeneralParser(String text) {
    LocalDateTime fast = CanonicalTimestamp.parse(text);
    LocalDateTime general = general(text);
    if (fast != null) {
      assertThat(fast).isEqualTo(general);
    }
    if (general == null) {
      assertThat(fast).isNull();
    }
  }

  @Test
  void agreesWhateverByteReplacesOneOfACanonicalTimestamp() {
    for (String shape : new String[] {"2024-01-02 03:04:05", "2024-11-29T13:57"}) {
      for (int at = 0; at < shape.length(); at++) {
        for (int b = 0; b < 256; b++) {
          byte[] bytes = shape.getBytes(StandardCharsets.ISO_8859_1);
          bytes[at] = (byte) b;
          String text = new String(bytes, StandardCharsets.ISO_8859_1);
          LocalDateTime fast = CanonicalTimestamp.parse(bytes, 0, bytes.length);
          LocalDateTime general = general(text);
          if (fast != null) {
            assertThat(fast).as(text).isEqualTo(general);
          }
          if (general == null) {
            assertThat(fast).as(text).isNull();
          }
        }
      }
    }
  }

  @Test
  void agreesWhateverByteReplacesOneOfACanonicalDate() {
    for (int at = 0; at < 10; at++) {
      for (int b = 0; b < 256; b++) {
        byte[] bytes = "2024-02-28".getBytes(StandardCharsets.ISO_8859_1);
        bytes[at] = (byte) b;
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Optional<LocalDate> general = date(text);
        LocalDate fast;
        try {
          fast = CanonicalTimestamp.parseDate(bytes, 0, bytes.length);
        } catch (DateTimeException e) {
          assertThat(general).as(text).isEmpty();
          continue;
        }
        assertThat(Optional.ofNullable(fast)).as(text).isEqualTo(general);
      }
    }
  }

  private static Optional<LocalDate> date(String text) {
    try {
      return Optional.of(LocalDate.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static LocalDateTime general(String text) {
    String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.replace(' ', 'T') : text;
    try {
      TemporalAccessor parsed =
          DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
      return parsed instanceof OffsetDateTime offset
          ? offset.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
          : (LocalDateTime) parsed;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
