package io.bucketload.core.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A glob on object keys ({@code *} within a folder, {@code **} across folders, {@code ?}, {@code
 * [abc]}, {@code {a,b}}) that also tells what its wildcards matched. Files of a set are grouped by
 * that text: {@code orders_2026-11-21.csv} and {@code reviews_2026-11-21.csv} matched by {@code
 * orders*.csv} and {@code reviews*.csv} both give {@code _2026-11-21}. Immutable.
 */
public final class NamePattern {
  private final String glob;
  private final Pattern regex;

  private NamePattern(String glob, Pattern regex) {
    this.glob = glob;
    this.regex = regex;
  }

  /**
   * Compiles a glob.
   *
   * @throws IllegalArgumentException when it is not a valid glob
   */
  public static NamePattern of(String glob) {
    StringBuilder out = new StringBuilder();
    int groups = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            out.append("(.*)");
            i++;
          } else {
            out.append("([^/]*)");
          }
        }
        case '?' -> out.append("([^/])");
        case '{' -> {
          if (groups > 0) {
            throw new IllegalArgumentException("'{' groups cannot be nested in " + glob);
          }
          groups++;
          out.append("(?:");
        }
        case '}' -> {
          if (groups == 0) {
            throw new IllegalArgumentException("'}' without '{' in " + glob);
          }
          groups--;
          out.append(')');
        }
        case ',' -> out.append(groups > 0 ? "|" : ",");
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("'[' without ']' in " + glob);
          }
          String body = glob.substring(i + 1, end);
          out.append('[')
              .append(body.startsWith("!") ? "^" + body.substring(1) : body.replace("\\", "\\\\"))
              .append(']');
          i = end;
        }
        case '\\' -> {
          if (i + 1 == glob.length()) {
            throw new IllegalArgumentException("a glob cannot end with '\\': " + glob);
          }
          out.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        }
        default -> out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (groups > 0) {
      throw new IllegalArgumentException("'{' without '}' in " + glob);
    }
    try {
      return new NamePattern(glob, Pattern.compile(out.toString()));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a valid glob: " + glob, e);
    }
  }

  /** Whether the key matches. */
  public boolean matches(String key) {
    return regex.matcher(key).matches();
  }

  /**
   * What the wildcards matched, in order, joined with {@code |}; empty when the key does not match.
   * A pattern without wildcards gives the empty text for its one key.
   */
  public Optional<String> wildcardText(String key) {
    Matcher matcher = regex.matcher(key);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (int g = 1; g <= matcher.groupCount(); g++) {
      String part = matcher.group(g);
      parts.add(part == null ? "" : part);
    }
    return Optional.of(String.join("|", parts));
  }

  /** The glob as written. */
  public String glob() {
    return glob;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NamePattern pattern && pattern.glob.equals(glob);
  }

  @Override
  public int hashCode() {
    return glob.hashCode();
  }

  @Override
  public String toString() {
    return glob;
  }
}
