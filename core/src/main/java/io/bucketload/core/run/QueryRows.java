package io.bucketload.core.run;

import io.bucketload.core.error.DataException;
import io.bucketload.core.spec.QuerySpec;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.RowLimit;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.core.transform.FileContext;
import io.bucketload.core.transform.RowShape;
import io.bucketload.core.workspace.QueryResult;
import io.bucketload.core.workspace.Workspaces;
import java.util.List;
import java.util.Optional;

/**
 * The rows of a {@code sql} step's result on their way to the target: shaped by the row steps that
 * follow the query, checked (a key value present, within the target's row limit) and written in
 * chunks. A result row that cannot load fails the whole file set as a data failure: it has no line
 * of a file to be rejected with. Not thread-safe.
 */
final class QueryRows {
  private final QuerySpec query;
  private final QueryResult result;
  private final RowShape shape;
  private final List<TargetColumn> columns;
  private final FileContext context;
  private final boolean allowEmpty;
  private long filtered;

  /**
   * @param context the file context of {@code source.key} and {@code now()} in the steps after the
   *     query
   * @param allowEmpty whether an empty result may empty the table in {@code replace} and {@code
   *     sync} ({@code target.allow_empty})
   * @throws io.bucketload.core.error.ConfigException when a step or the key names a column the
   *     result does not have
   */
  QueryRows(QuerySpec query, QueryResult result, FileContext context, boolean allowEmpty) {
    this.query = query;
    this.result = result;
    this.shape = Workspaces.resultShape(query, result.columns());
    this.columns = shape.columns().stream().map(TargetColumn::of).toList();
    this.context = context;
    this.allowEmpty = allowEmpty;
  }

  /** The target table's columns. */
  List<TargetColumn> columns() {
    return columns;
  }

  /** The rows of the result. */
  long resultRows() {
    return result.rows();
  }

  /** The result rows the steps after the query filtered out. */
  long filtered() {
    return filtered;
  }

  /**
   * Writes every row into {@code load} through a writer thread, then finishes it.
   *
   * @throws DataException when a row cannot load, or an empty result would empty the table
   */
  LoadCounts into(TableLoad load, RowLimit limit, String name) {
    filtered = 0;
    long[] kept = {0};
    try (ChunkWriter writer = new ChunkWriter(load, name)) {
      result.read(
          FileReading.CHUNK_ROWS,
          chunk -> {
            RowChunk shaped = shaped(chunk, limit);
            kept[0] += shaped.size();
            if (shaped.size() > 0) {
              writer.submit(shaped);
            }
          });
      refuseEmptying(kept[0]);
      writer.finish();
    }
    return load.finish();
  }

  /** The chunk's rows after the steps that follow the query, checked. */
  private RowChunk shaped(RowChunk chunk, RowLimit limit) {
    RowChunk out = new RowChunk(chunk.size());
    int[] keys = shape.keyIndexes();
    for (int r = 0; r < chunk.size(); r++) {
      long row = chunk.line(r);
      Object[] values;
      try {
        if (shape.filters() && !shape.keep(chunk.row(r), row, context)) {
          filtered++;
          continue;
        }
        values = shape.apply(chunk.row(r), row, context);
      } catch (io.bucketload.core.transform.ExpressionFailure e) {
        throw failed(
            row, (e.column().isEmpty() ? "" : "column '" + e.column() + "': ") + e.getMessage());
      }
      for (int k : keys) {
        if (values[k] == null) {
          throw failed(row, "key column '" + columns.get(k).name() + "' has no value");
        }
      }
      Optional<RowLimit.Violation> violation = limit.check(values);
      if (violation.isPresent()) {
        throw failed(
            row,
            (violation.get().column().isEmpty() ? "" : violation.get().column() + ": ")
                + violation.get().reason());
      }
      out.add(values, row);
    }
    return out;
  }

  private DataException failed(long row, String reason) {
    return new DataException(
        query.sql().origin()
            + ": row "
            + row
            + " of the sql step's result cannot load: "
            + reason
            + "; nothing was loaded");
  }

  /** An empty result in {@code replace} or {@code sync} would empty the table. */
  private void refuseEmptying(long rows) {
    if (rows > 0
        || allowEmpty
        || (query.mode() != LoadMode.REPLACE && query.mode() != LoadMode.SYNC)) {
      return;
    }
    throw new DataException(
        query.sql().origin()
            + ": the sql step's result has no rows; mode "
            + query.mode().configName()
            + " would empty table "
            + query.table()
            + ". Refused: set target.allow_empty: true when an empty result means an empty"
            + " table");
  }
}
