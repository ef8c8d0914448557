package io.bucketload.app.page;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes HTML: every text and attribute value goes through {@link #escape}, so that nothing taken
 * from a CSV file or a pipeline (file names, values, reasons) can become markup.
 */
final class Html {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final StringBuilder out = new StringBuilder(16 * 1024);

  /** Markup written as it is: only constants of this package, never values. */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** A value, escaped. */
  Html text(String value) {
    out.append(escape(value));
    return this;
  }

  /** {@code <tag class="css">value</tag>}, the value escaped. */
  Html element(String tag, String css, String value) {
    out.append('<').append(tag);
    if (!css.isEmpty()) {
      out.append(" class=\"").append(escape(css)).append('"');
    }
    out.append('>').append(escape(value)).append("</").append(tag).append('>');
    return this;
  }

  /** A link, its address and text escaped. */
  Html link(String href, String value) {
    out.append("<a href=\"")
        .append(escape(href))
        .append("\">")
        .append(escape(value))
        .append("</a>");
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /** Escapes {@code & < > " '} so that the value is text in content and in quoted attributes. */
  static String escape(String value) {
    StringBuilder escaped = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /** A URL path segment: letters, digits and {@code -._~} as they are, the rest percent-encoded. */
  static String segment(String value) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        encoded.append(c);
      } else {
        encoded.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return encoded.toString();
  }

  /** A time for people, in UTC. */
  static String time(Instant instant) {
    return TIME.format(instant);
  }

  /** A whole number with thousands separators. */
  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /**
   * A duration for people: {@code 840 ms}, {@code 12.4 s}, {@code 3 min 5 s}, {@code 2 h 4 min}.
   */
  static String duration(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    Duration duration = Duration.ofMillis(millis);
    if (duration.toHours() == 0) {
      return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
    }
    return duration.toHours() + " h " + duration.toMinutesPart() + " min";
  }

  /** How long ago {@code then} was, seen from {@code now}: {@code 5 min ago}. */
  static String ago(Instant then, Instant now) {
    long seconds = Math.max(0, Duration.between(then, now).getSeconds());
    if (seconds < 60) {
      return seconds + " s ago";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min ago";
    }
    if (seconds < 48 * 3600) {
      return seconds / 3600 + " h ago";
    }
    return seconds / 86400 + " days ago";
  }

  /** How long until {@code then}, seen from {@code now}: {@code in 5 min}. */
  static String until(Instant then, Instant now) {
    long seconds = Duration.between(now, then).getSeconds();
    if (seconds <= 0) {
      return "due now";
    }
    if (seconds < 60) {
      return "in " + seconds + " s";
    }
    if (seconds < 3600) {
      return "in " + seconds / 60 + " min";
    }
    if (seconds < 48 * 3600) {
      return "in " + seconds / 3600 + " h";
    }
    return "in " + seconds / 86400 + " days";
  }
}
