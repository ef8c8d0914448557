package io.bucketload.core.target;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A place in the target where processes other than the loading one write a file's rows (a cluster's
 * executors, each the rows of its part of the file), for the file's load to take at {@link
 * TableLoad#finish()}, inside its transaction. Opened by {@link TableLoad#openStage()}, written by
 * a {@link StageWriter}, removed by the target once the load's transaction ends.
 *
 * @param name the stage's name in the target (a table of the target's schema), made of lowercase
 *     letters, digits and underscores only
 * @param file the key of the file whose rows it holds, for messages
 * @param columns the rows' columns, in the order of their values
 */
public record RowStage(String name, String file, List<TargetColumn> columns)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  /** Checks the fields and copies the columns. */
  public RowStage {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a stage name: " + name);
    }
    Objects.requireNonNull(file, "file");
    columns = List.copyOf(columns);
  }
}
