package io.bucketload.core.target;

import java.util.Locale;

/** How a file's rows combine with what the table already holds. */
public enum LoadMode {
  /** Insert every row. */
  APPEND,
  /** Insert new keys, update existing ones; within a file the last row of a key wins. */
  UPSERT,
  /** The table's contents become the file's, atomically. */
  REPLACE,
  /** Insert new keys; existing keys are left untouched. */
  INSERT_NEW,
  /** Upsert, then delete the rows whose keys are absent from the file. */
  SYNC,
  /**
   * Insert new keys; on existing ones set only the file's columns, keeping the others (DynamoDB's
   * {@code UpdateItem}, one request per row). SQL targets refuse it: their {@code upsert} already
   * leaves the columns a file lacks untouched.
   */
  MERGE;

  /** The name used in pipeline files, e.g. {@code insert_new}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the mode needs {@code schema.key}. */
  public boolean needsKey() {
    return this == UPSERT || this == INSERT_NEW || this == SYNC || this == MERGE;
  }
}
