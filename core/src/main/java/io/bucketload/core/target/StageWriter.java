package io.bucketload.core.target;

import java.util.List;

/**
 * Writes the rows of one part of a file to the {@link RowStage} its load opened, from a process
 * other than the loading one (a cluster's executor). A write is atomic: the part's rows are all in
 * the stage once it returns, or none are. Each write is tagged with its attempt, and the load takes
 * only the attempts it is handed ({@link TableLoad#takeStaged}): a part read again adds rows of
 * another attempt to the stage, never to the load. Thread-safe.
 */
public interface StageWriter {
  /**
   * Writes {@code chunks} as the rows of part {@code part}, attempt {@code attempt}.
   *
   * @return what was written, for the loading process to take
   * @throws io.bucketload.core.error.TargetException when the target fails or refuses the rows
   */
  StagedRows write(RowStage stage, int part, long attempt, List<RowChunk> chunks);
}
