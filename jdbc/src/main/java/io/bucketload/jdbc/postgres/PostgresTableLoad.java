package io.bucketload.jdbc.postgres;

import static io.bucketload.jdbc.SqlIdentifiers.quote;
import static io.bucketload.jdbc.SqlIdentifiers.quoteAll;

import io.bucketload.core.error.Fault;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.jdbc.SqlFailures;
import io.bucketload.jdbc.SqlIdentifiers;
import io.bucketload.jdbc.SqlMerge;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * One file's rows into a PostgreSQL table through {@code COPY ... FROM STDIN} (binary format),
 * inside the transaction of a {@link PostgresTransaction}. {@code append} (and {@code replace}
 * without a key, after deleting the old rows) copy straight into the table; the other modes copy
 * into a temporary staging table and merge from it at {@link #finish()}, where repeated keys are
 * resolved (the last line wins) and the counts are taken.
 */
final class PostgresTableLoad implements TableLoad {
  private static final String STAGE = "__bucketload_stage";
  private static final String DEDUP = "__bucketload_dedup";
  private static final String LINE = "__bucketload_line";
  private static final int FLUSH_BYTES = 1 << 18;
  private static final Pattern COPY_LINE = Pattern.compile("COPY [^,]+, line (\\d+)");

  private final Connection connection;
  private final String schema;
  private final LoadPlan plan;
  private final PostgresTables.Table table;
  private final boolean staged;
  private final CopyIn copy;
  private final CopyBinaryEncoder encoder;
  private final LineMap lines = new LineMap();
  private final long deletedAtStart;
  private final String what;
  private long rows;
  private boolean copying = true;

  private PostgresTableLoad(
      Connection connection,
      String schema,
      LoadPlan plan,
      PostgresTables.Table table,
      boolean staged,
      CopyIn copy,
      long deletedAtStart) {
    this.connection = connection;
    this.schema = schema;
    this.plan = plan;
    this.table = table;
    this.staged = staged;
    this.copy = copy;
    this.encoder = new CopyBinaryEncoder(plan.columns(), staged, FLUSH_BYTES + (1 << 16));
    this.deletedAtStart = deletedAtStart;
    this.what = describe(plan);
  }

  static PostgresTableLoad begin(Connection connection, String schema, LoadPlan plan) {
    String what = describe(plan);
    try {
      PostgresTables.Table table = PostgresTables.ensure(connection, schema, plan);
      boolean staged = plan.mergesByKey();
      long deleted = 0;
      String copySql;
      try (Statement statement = connection.createStatement()) {
        if (staged) {
          statement.execute("DROP TABLE IF EXISTS pg_temp." + quote(STAGE));
          statement.execute(
              "CREATE TEMPORARY TABLE "
                  + quote(STAGE)
                  + " ("
                  + plan.columns().stream()
                      .map(column -> quote(column.name()) + " " + PostgresTypes.sqlType(column))
                      .collect(Collectors.joining(", "))
                  + ", "
                  + quote(LINE)
                  + " bigint) ON COMMIT DROP");
          copySql =
              "COPY pg_temp."
                  + quote(STAGE)
                  + " ("
                  + quoteAll(plan.columns().stream().map(TargetColumn::name).toList())
                  + ", "
                  + quote(LINE)
                  + ") FROM STDIN WITH (FORMAT binary)";
        } else {
          if (plan.mode() == LoadMode.REPLACE) {
            deleted =
                statement.executeUpdate(
                    "DELETE FROM " + SqlIdentifiers.qualified(schema, table.name()));
          }
          copySql =
              "COPY "
                  + SqlIdentifiers.qualified(schema, table.name())
                  + " ("
                  + quoteAll(table.columns())
                  + ") FROM STDIN WITH (FORMAT binary)";
        }
      }
      CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
      return new PostgresTableLoad(connection, schema, plan, table, staged, copy, deleted);
    } catch (SQLException e) {
      throw SqlFailures.of(what, e);
    }
  }

  private static String describe(LoadPlan plan) {
    return "loading " + plan.file().key() + " into " + plan.table();
  }

  @Override
  public void write(RowChunk chunk) {
    String file = plan.file().key();
    for (int r = 0; r < chunk.size(); r++) {
      long line = chunk.line(r);
      encoder.row(chunk.row(r), line, file, line);
      rows++;
      lines.note(rows, line);
    }
    if (encoder.size() >= FLUSH_BYTES) {
      send();
    }
  }

  private void send() {
    try {
      copy.writeToCopy(encoder.buffer(), 0, encoder.size());
      encoder.clear();
    } catch (SQLException e) {
      throw explained(e);
    }
  }

  @Override
  public LoadCounts finish() {
    encoder.end();
    send();
    try {
      copying = false;
      copy.endCopy();
      if (!staged) {
        return LoadCounts.exact(rows, rows, 0, 0, deletedAtStart);
      }
      LoadCounts counts = merge();
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS pg_temp." + quote(DEDUP));
        statement.execute("DROP TABLE pg_temp." + quote(STAGE));
      }
      return counts;
    } catch (SQLException e) {
      throw explained(e);
    }
  }

  /**
   * PostgreSQL's merge statements: inserts go through {@code ON CONFLICT} on the table's key, so
   * that two loads adding the same new key at once wait for each other instead of failing.
   */
  private static final SqlMerge MERGE =
      new SqlMerge(
          new SqlMerge.Dialect() {
            @Override
            public String createWorkTable(String name) {
              return "CREATE TEMPORARY TABLE " + name + " ON COMMIT DROP";
            }

            @Override
            public long[] upsert(Statement statement, SqlMerge.Names names) throws SQLException {
              List<String> values = names.tableValues();
              String conflict = " ON CONFLICT (" + quoteAll(names.tableKey()) + ")";
              if (values.isEmpty()) {
                return new long[] {
                  statement.executeUpdate(names.insertAll() + conflict + " DO NOTHING"), 0
                };
              }
              String excluded =
                  values.stream().map(name -> "EXCLUDED." + quote(name)).collect(joining());
              String current = values.stream().map(name -> "t." + quote(name)).collect(joining());
              try (ResultSet result =
                  statement.executeQuery(
                      "WITH m AS ("
                          + names.insertAllAliased()
                          + conflict
                          + " DO UPDATE SET ("
                          + quoteAll(values)
                          + ") = ROW("
                          + excluded
                          + ") WHERE ROW("
                          + current
                          + ") IS DISTINCT FROM ROW("
                          + excluded
                          + ") RETURNING (xmax = 0) AS inserted)"
                          + " SELECT count(*) FILTER (WHERE inserted),"
                          + " count(*) FILTER (WHERE NOT inserted) FROM m")) {
                result.next();
                return new long[] {result.getLong(1), result.getLong(2)};
              }
            }

            @Override
            public long insertNew(Statement statement, SqlMerge.Names names) throws SQLException {
              return statement.executeUpdate(
                  names.insertAll()
                      + " ON CONFLICT ("
                      + quoteAll(names.tableKey())
                      + ") DO NOTHING");
            }
          });

  private LoadCounts merge() throws SQLException {
    List<String> stageNames = plan.columns().stream().map(TargetColumn::name).toList();
    SqlMerge.Names names =
        new SqlMerge.Names(
            SqlIdentifiers.qualified(schema, table.name()),
            "pg_temp." + quote(STAGE),
            "pg_temp." + quote(DEDUP),
            LINE,
            stageNames,
            table.columns(),
            plan.key().stream().map(stageNames::indexOf).toList());
    try (Statement statement = connection.createStatement()) {
      return MERGE.merge(statement, names, plan.mode());
    } catch (SqlMerge.KeyCollision e) {
      // Appends into PostgreSQL copy straight into the table, whose key refuses a duplicate.
      throw new IllegalStateException("append is never staged on PostgreSQL", e);
    }
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(", ");
  }

  /**
   * The failure, naming the file's line where the server names the row of the COPY, with the
   * server's detail (e.g. the duplicate key), and what to do about a key the table refused.
   */
  private TargetException explained(SQLException e) {
    TargetException failure = SqlFailures.of(what, e);
    if (!(e instanceof PSQLException psql) || psql.getServerErrorMessage() == null) {
      return failure;
    }
    ServerErrorMessage server = psql.getServerErrorMessage();
    StringBuilder message = new StringBuilder(failure.getMessage().replaceAll("\\.+$", ""));
    if (server.getDetail() != null) {
      message.append(". ").append(server.getDetail().replaceAll("\\.+$", ""));
    }
    if (server.getWhere() != null) {
      Matcher copyLine = COPY_LINE.matcher(server.getWhere());
      if (copyLine.find()) {
        long line = lines.lineOf(Long.parseLong(copyLine.group(1)));
        if (line > 0) {
          message.append(" (line ").append(line).append(" of ").append(plan.file().key());
          int column = server.getWhere().indexOf(", column ");
          if (column >= 0) {
            message.append(", ").append(server.getWhere().substring(column + 2));
          }
          message.append(')');
        }
      }
    }
    if (failure.fault() == Fault.DATA
        && "23505".equals(e.getSQLState())
        && plan.mode() == LoadMode.APPEND) {
      message.append(
          ". Mode append inserts every row: use upsert or insert_new when a file may repeat a key"
              + " or carry keys already loaded");
    }
    message.append('.');
    return failure.fault() == Fault.DATA
        ? TargetException.data(message.toString(), e)
        : TargetException.system(message.toString(), e, failure.isTransient());
  }

  /** Cancels an unfinished COPY after a failure; the transaction's rollback discards the rows. */
  void abandon() {
    if (copying) {
      copying = false;
      try {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      } catch (SQLException | RuntimeException e) {
        // The connection may be gone; the rollback (or the server) discards the rows either way.
      }
    }
  }
}
