package io.bucketload.core.run;

/**
 * Text from outside (a file's name, above all) made to keep to one line where it is laid out in
 * lines and columns: reports, notifications. A line break, tab or other control character is
 * written as its escape ({@code \n}, {@code \r}, {@code \t}, {@code \u0007}), so {@code "a\nb.csv"}
 * shows as {@code a\nb.csv} and cannot pass for a second line of the report.
 */
public final class OneLine {
  private OneLine() {}

  /** {@code text} with every control character escaped; the same string when it has none. */
  public static String of(String text) {
    int first = 0;
    while (first < text.length() && !Character.isISOControl(text.charAt(first))) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
