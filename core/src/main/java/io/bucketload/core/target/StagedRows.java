package io.bucketload.core.target;

import java.io.Serializable;

/**
 * Rows one worker wrote to a {@link RowStage}: which part of the file they are, which attempt at
 * that part wrote them (a part may be read again: only the rows of the attempt whose result the
 * loading process took are loaded), and how many there are (checked against what the stage holds
 * when the load takes them).
 *
 * @param part the part's index in its file
 * @param attempt the attempt's id, unique among the attempts at every part of the run
 * @param rows the rows written
 */
public record StagedRows(int part, long attempt, long rows) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Checks the fields. */
  public StagedRows {
    if (part < 0 || rows < 0) {
      throw new IllegalArgumentException("part and rows cannot be negative");
    }
  }
}
