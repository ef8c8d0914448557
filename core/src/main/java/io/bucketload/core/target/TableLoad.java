package io.bucketload.core.target;

import java.util.Optional;

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
   * Opens a stage that other processes write this load's rows into ({@link RowStage}), taken into
   * the load at {@link #finish()}; empty when the target has none, and the rows are written here.
   * At most one per load; it is removed when the transaction ends, committed or not.
   *
   * @throws io.bucketload.core.error.TargetException when the target fails to open it
   */
  default Optional<RowStage> openStage() {
    return Optional.empty();
  }

  /**
   * Takes rows a worker wrote to this load's stage, in file order with the chunks written here;
   * they join the load at {@link #finish()}, which fails when the stage does not hold them all.
   *
   * @throws IllegalStateException when this load opened no stage
   */
  default void takeStaged(StagedRows rows) {
    throw new IllegalStateException("this load has no stage");
  }

  /**
   * Whether the target reads this file itself ({@link #readDirectly}) instead of taking chunks from
   * bucketload's reader: only targets whose own reader is faster, and only where they can check
   * that they read each value as bucketload does. False by default.
   */
  default boolean readsDirectly(DirectRead read) {
    return false;
  }

  /**
   * Loads every record of a file with the target's own reader, in place of {@link #write}; {@link
   * #finish()} follows as after the writes. Called only when {@link #readsDirectly} said so, before
   * any write.
   *
   * @param bytesRead told, from another thread while the read runs, how far into the file the
   *     target's reader is, where the target can tell
   * @return the number of records loaded
   * @throws DirectReadDeclined when the target's reader met what it cannot prove it reads as
   *     bucketload does; the transaction can then only roll back
   * @throws io.bucketload.core.error.TargetException when the target fails
   * @throws IllegalStateException when {@link #readsDirectly} did not say so (this default, for
   *     targets that never read files themselves)
   */
  default long readDirectly(DirectRead read, java.util.function.LongConsumer bytesRead) {
    throw new IllegalStateException("readDirectly without readsDirectly: " + read.file());
  }

  /**
   * Stops a {@link #readDirectly} under way, from another thread: bucketload found a value the
   * target's reader must not load. The read then throws {@link DirectReadDeclined}. Does nothing
   * when no read is under way.
   */
  default void stopReading() {}

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
        // Nothing was inserted, updated or deleted, and that is known exactly.
        return LoadCounts.exact(0, 0, 0, 0, 0);
      }
    };
  }
}
