package io.bucketload.core.target;

/**
 * One file's rows on their way into one table, inside a {@link LoadTransaction}. Chunks are
 * written, then {@link #finish()} combines them with the table as the plan's mode says. Nothing is
 * visible to readers before the transaction commits. Used by one thread at a time.
 */
public interface TableLoad {
  /**
   * Writes a chunk of rows.
   *
   * @throws io.bucketload.core.error.TargetException when the target fails or refuses the rows
   */
  void write(RowChunk chunk);

  /**
   * Ends the writes and applies them to the table (merging by key where the mode needs it), still
   * uncommitted.
   *
   * @return what the load does to the table once committed
   * @throws io.bucketload.core.error.TargetException when the target fails or refuses the rows
   */
  LoadCounts finish();

  /**
   * The load of a file that reaches no table (an empty file whose columns are not known): it takes
   * no rows and changes nothing.
   */
  static TableLoad none() {
    return new TableLoad() {
      @Override
      public void write(RowChunk chunk) {
        if (chunk.size() > 0) {
          throw new IllegalStateException("a load without columns takes no rows");
        }
      }

      @Override
      public LoadCounts finish() {
        return LoadCounts.written(0);
      }
    };
  }
}
