package io.bucketload.core.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One entry of the pipeline's {@code transform} list. {@code where} locates it for messages. */
public sealed interface TransformStep {
  /** Where the step is written, e.g. {@code pipeline.yaml line 14: transform[1].rename}. */
  String where();

  /** Renames columns: old name to new name. */
  record Rename(Map<String, String> names, String where) implements TransformStep {
    /** Copies the map, keeping its order. */
    public Rename {
      names = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(names));
    }
  }

  /** Drops columns. */
  record Drop(List<String> names, String where) implements TransformStep {
    /** Copies the list. */
    public Drop {
      names = List.copyOf(names);
    }
  }

  /**
   * Adds computed columns, in order, to files that lack them; a file that has a column keeps its
   * values (e.g. an {@code id} computed with {@code row_hash()} only when the file has none).
   */
  record Default(Map<String, ValueExpression> columns, String where) implements TransformStep {
    /** Copies the map, keeping its order. */
    public Default {
      columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }
  }

  /** Adds computed columns, in order. */
  record Add(Map<String, ValueExpression> columns, String where) implements TransformStep {
    /** Copies the map, keeping its order. */
    public Add {
      columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }
  }

  /**
   * Keeps the rows for which a condition is true ({@link Expression}); the others are counted as
   * filtered, not rejected.
   */
  record Filter(String condition, String where) implements TransformStep {}
}
