package io.bucketload.core.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Guesses how a file's CSV is written from its first lines: the delimiter (one character or a
 * common multi-character one), lines above the header that are not CSV (a title, an export banner),
 * and a delimiter that ends every line. Quotes are respected when counting delimiters.
 */
public final class DialectSniffer {
  private static final List<String> CANDIDATES = List.of("||", ";;", ", ", ",", ";", "\t", "|");

  private DialectSniffer() {}

  /**
   * What the first lines say.
   *
   * @param delimiter the delimiter
   * @param skipLines lines above the header
   * @param trailingDelimiter whether the header and the rows end with the delimiter
   */
  public record Guess(String delimiter, int skipLines, boolean trailingDelimiter) {}

  /**
   * Guesses from the first lines of a file (a few dozen are enough).
   *
   * @param lines the lines, without line breaks
   * @param delimiter the delimiter, when the user gave it; otherwise guessed
   */
  public static Guess guess(List<String> lines, Optional<String> delimiter, char quote) {
    List<String> content = lines.stream().filter(line -> !line.isBlank()).toList();
    String best = delimiter.orElse(",");
    int bestRun = -1;
    int bestStart = 0;
    for (String candidate : delimiter.map(List::of).orElse(CANDIDATES)) {
      int[] counts = new int[content.size()];
      for (int i = 0; i < content.size(); i++) {
        counts[i] = count(content.get(i), candidate, quote);
      }
      int modal = modal(counts);
      if (modal == 0) {
        continue;
      }
      int start = 0;
      while (start < counts.length && counts[start] != modal) {
        start++;
      }
      int run = 0;
      for (int i = start; i < counts.length; i++) {
        if (counts[i] == modal) {
          run++;
        }
      }
      // A longer delimiter wins ties: "||" over "|", and ", " over "," only when every comma has
      // its space.
      if (run > bestRun || (run == bestRun && candidate.length() > best.length())) {
        if (candidate.length() > 1 && !coversItsFirstCharacter(content, candidate, quote)) {
          continue;
        }
        best = candidate;
        bestRun = run;
        bestStart = start;
      }
    }
    int skip = 0;
    if (bestRun > 0) {
      int seen = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).isBlank()) {
          seen++;
        }
        if (seen == bestStart) {
          skip = i;
          break;
        }
      }
    }
    List<String> table = new ArrayList<>(lines.subList(skip, lines.size()));
    table.removeIf(String::isBlank);
    boolean trailing = !table.isEmpty();
    for (String line : table) {
      trailing &= line.endsWith(best) && !line.endsWith(String.valueOf(quote) + quote + best);
    }
    return new Guess(best, skip, trailing && table.size() > 1);
  }

  /** Whether each occurrence of the delimiter's first character belongs to a delimiter. */
  private static boolean coversItsFirstCharacter(List<String> lines, String candidate, char quote) {
    String first = candidate.substring(0, 1);
    long perDelimiter = candidate.chars().filter(c -> c == candidate.charAt(0)).count();
    for (String line : lines) {
      if (count(line, first, quote) != count(line, candidate, quote) * perDelimiter) {
        return false;
      }
    }
    return true;
  }

  /** The delimiters in a line outside quoted fields. */
  static int count(String line, String delimiter, char quote) {
    int count = 0;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == quote) {
        quoted = !quoted;
      } else if (!quoted && line.startsWith(delimiter, i)) {
        count++;
        i += delimiter.length() - 1;
      }
    }
    return count;
  }

  private static int modal(int[] counts) {
    int best = 0;
    int bestFrequency = 0;
    for (int candidate : counts) {
      int frequency = 0;
      for (int other : counts) {
        if (other == candidate) {
          frequency++;
        }
      }
      if (candidate > 0 && frequency > bestFrequency) {
        best = candidate;
        bestFrequency = frequency;
      }
    }
    return best;
  }
}
