package io.bucketload.core.workspace;

import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.TargetColumn;
import java.util.List;
import java.util.function.Consumer;

/** The complete result of a workspace query, read back in chunks as often as needed. */
public interface QueryResult {
  /** Its columns, with the types the query gave them (as bucketload's column types). */
  List<TargetColumn> columns();

  /** Its number of rows. */
  long rows();

  /**
   * Reads the rows in order, in chunks of up to {@code chunkRows} rows whose "line" is the row's
   * position in the result (from 1). Values are of the types {@link RowChunk} lists.
   *
   * @throws io.bucketload.core.error.TargetException when the workspace fails
   */
  void read(int chunkRows, Consumer<RowChunk> consumer);
}
