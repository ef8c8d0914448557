package io.bucketload.core.workspace;

import io.bucketload.core.spec.SqlStep;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.TableLoad;

/**
 * One unit of work's scratch database: each input's rows are loaded into a table named after it,
 * then the query runs over them. Everything it holds is discarded when it closes. Used by one
 * thread at a time (a {@link TableLoad}'s chunks may come from another thread, handed over safely).
 */
public interface Workspace extends AutoCloseable {
  /**
   * Starts loading one input's rows into a new table named {@link LoadPlan#table()} with the plan's
   * columns; rows are appended as they come, whatever the plan's mode.
   *
   * @throws io.bucketload.core.error.TargetException when the workspace fails
   */
  TableLoad load(LoadPlan plan);

  /**
   * Runs the query over the tables loaded so far and keeps its whole result, so that nothing of it
   * reaches a target before it is complete.
   *
   * @throws io.bucketload.core.error.ConfigException when the workspace refuses the query (syntax,
   *     unknown table or column, a result column of a type no target takes), naming the step
   * @throws io.bucketload.core.error.DataException when the inputs' values make it fail (a cast
   *     that does not fit)
   * @throws io.bucketload.core.error.TargetException when the workspace fails (out of memory or
   *     disk)
   */
  QueryResult run(SqlStep query);

  /** Discards everything and releases memory and spill files. Never throws. */
  @Override
  void close();
}
