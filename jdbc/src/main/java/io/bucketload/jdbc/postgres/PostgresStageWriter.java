package io.bucketload.jdbc.postgres;

import static io.bucketload.jdbc.SqlIdentifiers.quoteAll;

import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.RowStage;
import io.bucketload.core.target.StageWriter;
import io.bucketload.core.target.StagedRows;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.jdbc.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes a part's rows to a {@link PostgresStage} from an executor: on a connection of its own, in
 * one transaction, copies the rows in (binary {@code COPY}), each with its line, part and attempt.
 * Rows of other attempts at the part are left alone: the load takes only the attempt it was handed
 * (deleting them could remove that attempt's rows when a late attempt writes after it).
 * Thread-safe: each write connects on its own.
 */
final class PostgresStageWriter implements StageWriter {
  private static final int FLUSH_BYTES = 1 << 18;

  private final PostgresConnector connector;
  private final String schema;

  PostgresStageWriter(PostgresConnector connector, String schema) {
    this.connector = connector;
    this.schema = schema;
  }

  @Override
  public StagedRows write(RowStage stage, int part, long attempt, List<RowChunk> chunks) {
    if (!stage.name().startsWith(PostgresStage.PREFIX)) {
      throw new IllegalArgumentException("not a stage of a PostgreSQL load: " + stage.name());
    }
    String table = SqlIdentifiers.qualified(schema, stage.name());
    String what = "staging part " + part + " of " + stage.file();
    LineMap lines = new LineMap();
    try (Connection connection = connector.open()) {
      connection.setAutoCommit(false);
      CopyIn copy =
          connection
              .unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "COPY "
                      + table
                      + " ("
                      + quoteAll(stage.columns().stream().map(TargetColumn::name).toList())
                      + ", "
                      + quoteAll(
                          List.of(PostgresStage.LINE, PostgresStage.PART, PostgresStage.ATTEMPT))
                      + ") FROM STDIN WITH (FORMAT binary)");
      long rows = 0;
      try {
        CopyBinaryEncoder encoder =
            new CopyBinaryEncoder(stage.columns(), 3, FLUSH_BYTES + (1 << 16));
        for (RowChunk chunk : chunks) {
          for (int r = 0; r < chunk.size(); r++) {
            long line = chunk.line(r);
            encoder.row(chunk.row(r), line, stage.file());
            encoder.extra(line);
            encoder.extra(part);
            encoder.extra(attempt);
            rows++;
            lines.note(rows, line);
          }
          if (encoder.size() >= FLUSH_BYTES) {
            copy.writeToCopy(encoder.buffer(), 0, encoder.size());
            encoder.clear();
          }
        }
        encoder.end();
        copy.writeToCopy(encoder.buffer(), 0, encoder.size());
        copy.endCopy();
      } catch (SQLException | RuntimeException e) {
        if (copy.isActive()) {
          try {
            copy.cancelCopy();
          } catch (SQLException cancelling) {
            e.addSuppressed(cancelling);
          }
        }
        throw e;
      }
      connection.commit();
      return new StagedRows(part, attempt, rows);
    } catch (SQLException e) {
      throw CopyFailures.explained(e, what, lines, stage.file(), false, false);
    }
  }

  /** Where the stages are, for messages. */
  @Override
  public String toString() {
    return "PostgreSQL stages at " + connector.where() + " schema " + schema;
  }
}
