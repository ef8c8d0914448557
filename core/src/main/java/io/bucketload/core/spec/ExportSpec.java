package io.bucketload.core.spec;

import java.util.Objects;

/**
 * A query whose result is written as CSV to the source's store after each load, in the load's
 * transaction.
 *
 * @param name the export's name, which starts its file names
 * @param query the query
 * @param folder the folder the files are written to, beside the loaded files
 */
public record ExportSpec(String name, SqlStep query, String folder) {
  /** The default folder. */
  public static final String DEFAULT_FOLDER = "exports";

  /** Checks the fields. */
  public ExportSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(folder, "folder");
  }
}
