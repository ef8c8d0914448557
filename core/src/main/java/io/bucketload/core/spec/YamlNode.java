package io.bucketload.core.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML node that remembers the line it started on, so that errors can point at it. */
sealed interface YamlNode {
  /** The 1-based line of the node in its file. */
  int line();

  /** A short word for the node's kind, for messages ("a mapping", "a list", "a value"). */
  String kindName();

  /** A mapping, in file order. */
  record MapNode(Map<String, YamlNode> entries, Map<String, Integer> keyLines, int line)
      implements YamlNode {
    public MapNode {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
      keyLines = Map.copyOf(keyLines);
    }

    @Override
    public String kindName() {
      return "a mapping";
    }
  }

  /** A sequence. */
  record ListNode(List<YamlNode> items, int line) implements YamlNode {
    public ListNode {
      items = List.copyOf(items);
    }

    @Override
    public String kindName() {
      return "a list";
    }
  }

  /**
   * A scalar. {@code text} is empty for a YAML null; {@code isNull} tells them apart; {@code
   * plainNumber} is true for an unquoted number.
   */
  record ScalarNode(String text, boolean isNull, boolean plainNumber, int line)
      implements YamlNode {
    @Override
    public String kindName() {
      return "a value";
    }
  }
}
