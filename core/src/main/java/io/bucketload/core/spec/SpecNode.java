package io.bucketload.core.spec;

import io.bucketload.core.error.ConfigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A {@link YamlNode} with its dotted path and file, reading typed values with precise errors. */
final class SpecNode {
  private final YamlNode node;
  private final String path;
  private final String fileName;

  SpecNode(YamlNode node, String path, String fileName) {
    this.node = node;
    this.path = path;
    this.fileName = fileName;
  }

  String path() {
    return path;
  }

  int line() {
    return node.line();
  }

  String fileName() {
    return fileName;
  }

  ConfigException error(String message) {
    return new ConfigException(
        fileName + " line " + node.line() + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  boolean isMap() {
    return node instanceof YamlNode.MapNode;
  }

  boolean isList() {
    return node instanceof YamlNode.ListNode;
  }

  boolean isScalar() {
    return node instanceof YamlNode.ScalarNode scalar && !scalar.isNull();
  }

  private YamlNode.MapNode asMap() {
    if (node instanceof YamlNode.MapNode map) {
      return map;
    }
    throw error("expected a mapping (key: value lines), found " + node.kindName());
  }

  /** Fails on any key not in {@code allowed}, naming it and listing the allowed keys. */
  SpecNode allowOnly(Collection<String> allowed) {
    YamlNode.MapNode map = asMap();
    for (String key : map.entries().keySet()) {
      if (!allowed.contains(key)) {
        throw new ConfigException(
            fileName
                + " line "
                + map.keyLines().get(key)
                + ": "
                + YamlTreeReader.join(path, key)
                + ": unknown key; expected one of "
                + String.join(", ", new TreeSet<>(allowed))
                + (key.matches("\\s*\\d+\\s*\\)")
                    ? " (inside { }, a comma ends a value: quote one that holds a comma, such as"
                        + " type: \"decimal(10,2)\")"
                    : ""));
      }
    }
    return this;
  }

  Set<String> keys() {
    return asMap().entries().keySet();
  }

  Optional<SpecNode> child(String key) {
    YamlNode value = asMap().entries().get(key);
    if (value == null
        || (value instanceof YamlNode.ScalarNode scalar && scalar.isNull() && !key.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new SpecNode(value, YamlTreeReader.join(path, key), fileName));
  }

  SpecNode required(String key) {
    return child(key)
        .orElseThrow(
            () -> {
              String where = path.isEmpty() ? "" : path + ": ";
              return new ConfigException(
                  fileName
                      + " line "
                      + node.line()
                      + ": "
                      + where
                      + "missing required key '"
                      + key
                      + "'");
            });
  }

  List<SpecNode> items() {
    if (node instanceof YamlNode.ListNode list) {
      List<SpecNode> out = new ArrayList<>();
      for (int i = 0; i < list.items().size(); i++) {
        out.add(new SpecNode(list.items().get(i), path + "[" + i + "]", fileName));
      }
      return out;
    }
    throw error("expected a list, found " + node.kindName());
  }

  /** Entries of a mapping as (key, node) pairs, in file order. */
  List<Map.Entry<String, SpecNode>> entries() {
    YamlNode.MapNode map = asMap();
    List<Map.Entry<String, SpecNode>> out = new ArrayList<>();
    map.entries()
        .forEach(
            (key, value) ->
                out.add(
                    Map.entry(key, new SpecNode(value, YamlTreeReader.join(path, key), fileName))));
    return out;
  }

  String text() {
    if (node instanceof YamlNode.ScalarNode scalar && !scalar.isNull()) {
      return scalar.text();
    }
    throw error("expected a value, found " + node.kindName());
  }

  boolean isPlainNumber() {
    return node instanceof YamlNode.ScalarNode scalar && scalar.plainNumber();
  }

  /** Values given as either one scalar or a list of scalars. */
  List<String> texts() {
    if (isList()) {
      return items().stream().map(SpecNode::text).toList();
    }
    return List.of(text());
  }

  boolean bool() {
    String text = text();
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw error("expected true or false, found '" + text + "'");
    };
  }

  long longValue(long min, long max) {
    String text = text();
    long value;
    try {
      value = Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw error("expected a whole number, found '" + text + "'");
    }
    if (value < min || value > max) {
      throw error("must be between " + min + " and " + max + ", found " + value);
    }
    return value;
  }

  char singleChar() {
    String text = text();
    String decoded = text.equals("\\t") || text.equalsIgnoreCase("tab") ? "\t" : text;
    if (decoded.length() != 1) {
      throw error("expected a single character, found '" + text + "'");
    }
    char c = decoded.charAt(0);
    if (c == '\n' || c == '\r') {
      throw error("a line break cannot be used here");
    }
    return c;
  }

  <E extends Enum<E>> E enumValue(Class<E> type) {
    String text = text();
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
    }
    throw error("unknown value '" + text + "'; expected one of " + String.join(", ", names));
  }
}
