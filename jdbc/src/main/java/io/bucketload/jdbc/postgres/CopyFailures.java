package io.bucketload.jdbc.postgres;

import io.bucketload.core.error.Fault;
import io.bucketload.core.error.TargetException;
import io.bucketload.jdbc.SqlFailures;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Failures of a {@code COPY} into a table or a stage, explained: the server's detail (e.g. the
 * duplicate key), the file's line where the server names the row of the COPY, and what to do about
 * a key the table refused.
 */
final class CopyFailures {
  private static final Pattern COPY_LINE = Pattern.compile("COPY [^,]+, line (\\d+)");

  private CopyFailures() {}

  /**
   * @param what what was being done, for the message
   * @param lines the file's line of each row of the COPY
   * @param file the file's key
   * @param appends whether the rows were copied straight into the table (mode {@code append}), for
   *     the advice about a key the table refused
   * @param replaces whether the load replaces the table's rows (mode {@code replace}), for the
   *     advice about rows other tables reference
   */
  static TargetException explained(
      SQLException e, String what, LineMap lines, String file, boolean appends, boolean replaces) {
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
          message.append(" (line ").append(line).append(" of ").append(file);
          int column = server.getWhere().indexOf(", column ");
          if (column >= 0) {
            message.append(", ").append(server.getWhere().substring(column + 2));
          }
          message.append(')');
        }
      }
    }
    if (failure.fault() == Fault.DATA && "23505".equals(e.getSQLState()) && appends) {
      message.append(
          ". Mode append inserts every row: use upsert or insert_new when a file may repeat a key"
              + " or carry keys already loaded");
    }
    if ("23503".equals(e.getSQLState())
        && replaces
        && String.valueOf(e.getMessage()).contains("update or delete on table")) {
      // Not the file's fault: every file fails so until the references change, and then loads.
      message.append(
          ". Mode replace deletes every row of the table before it loads the file's, and rows that"
              + " other tables reference cannot be deleted: load with upsert, which updates rows"
              + " in place (a reference made ON DELETE CASCADE would delete the rows that refer"
              + " to them at every load).");
      return TargetException.mismatch(message.toString());
    }
    message.append('.');
    return failure.fault() == Fault.DATA
        ? TargetException.data(message.toString(), e)
        : TargetException.system(message.toString(), e, failure.isTransient());
  }
}
