package io.bucketload.core.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.bucketload.core.error.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML document into {@link YamlNode}s with their line numbers, and replaces {@code ${VAR}}
 * in scalar values with the variable's value from the environment.
 */
final class YamlTreeReader {
  /** {@code ${NAME}}, or {@code ${NAME:-default}} with a default for an unset or empty variable. */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\\}");

  private static final YAMLFactory FACTORY = new YAMLFactory();

  private final String fileName;
  private final Function<String, String> environment;
  private final java.util.function.Predicate<String> mayBeUnset;
  private final java.util.Set<String> substituted = new java.util.HashSet<>();

  /**
   * @param mayBeUnset whether a variable that is not set may stay as written ({@code ${NAME}}) at a
   *     value's path, rather than fail the file
   */
  YamlTreeReader(
      String fileName,
      Function<String, String> environment,
      java.util.function.Predicate<String> mayBeUnset) {
    this.fileName = fileName;
    this.environment = environment;
    this.mayBeUnset = mayBeUnset;
  }

  YamlNode read(Reader reader) throws IOException {
    try (JsonParser parser = FACTORY.createParser(reader)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new ConfigException(fileName + ": the file is empty");
      }
      return readValue(parser, "");
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new ConfigException(
          fileName + " line " + line + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
  }

  private YamlNode readValue(JsonParser parser, String path) throws IOException {
    int line = parser.currentTokenLocation().getLineNr();
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        {
          Map<String, YamlNode> entries = new LinkedHashMap<>();
          Map<String, Integer> keyLines = new HashMap<>();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = parser.currentTokenLocation().getLineNr();
            if (entries.containsKey(key)) {
              throw new ConfigException(
                  fileName + " line " + keyLine + ": " + join(path, key) + ": duplicate key");
            }
            parser.nextToken();
            entries.put(key, readValue(parser, join(path, key)));
            keyLines.put(key, keyLine);
          }
          return new YamlNode.MapNode(entries, keyLines, line);
        }
      case START_ARRAY:
        {
          List<YamlNode> items = new ArrayList<>();
          int index = 0;
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(parser, path + "[" + index++ + "]"));
          }
          return new YamlNode.ListNode(items, line);
        }
      case VALUE_NULL:
        return new YamlNode.ScalarNode("", true, false, line);
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return new YamlNode.ScalarNode(parser.getText(), false, true, line);
      default:
        return interpolate(parser.getText(), path, line);
    }
  }

  private YamlNode.ScalarNode interpolate(String text, String path, int line) {
    Matcher matcher = VARIABLE.matcher(text);
    if (!matcher.find()) {
      return new YamlNode.ScalarNode(text, false, false, line);
    }
    StringBuilder out = new StringBuilder();
    matcher.reset();
    while (matcher.find()) {
      String name = matcher.group(1);
      String value = environment.apply(name);
      if ((value == null || value.isEmpty()) && matcher.group(2) != null) {
        // A default written in the file is not a secret.
        matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(2)));
        continue;
      }
      if (value == null && mayBeUnset.test(path)) {
        matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group()));
        continue;
      }
      if (value == null) {
        throw new ConfigException(
            fileName
                + " line "
                + line
                + ": "
                + path
                + ": environment variable "
                + name
                + " is not set");
      }
      substituted.add(value);
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return new YamlNode.ScalarNode(out.toString(), false, false, line);
  }

  /** The values taken from the environment so far: secrets to mask. */
  java.util.Set<String> substitutedValues() {
    return java.util.Set.copyOf(substituted);
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
