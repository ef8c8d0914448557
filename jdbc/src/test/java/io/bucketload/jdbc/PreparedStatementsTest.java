package io.bucketload.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** Statements are kept per connection, prepared again on another one or once closed. */
class PreparedStatementsTest {
  private static long answer(PreparedStatement statement, long value) throws Exception {
    statement.setLong(1, value);
    try (ResultSet rows = statement.executeQuery()) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }

  @Test
  void aStatementIsKeptForItsConnectionAndPreparedAgainOnAnother() throws Exception {
    PreparedStatements statements = new PreparedStatements();
    try (Connection first = DriverManager.getConnection("jdbc:duckdb:");
        Connection second = DriverManager.getConnection("jdbc:duckdb:")) {
      PreparedStatement kept = statements.on(first, "SELECT ? + 1");
      assertThat(answer(kept, 1)).isEqualTo(2);
      assertThat(statements.on(first, "SELECT ? + 1")).isSameAs(kept);
      assertThat(statements.on(first, "SELECT ? + 2")).isNotSameAs(kept);

      PreparedStatement other = statements.on(second, "SELECT ? + 1");
      assertThat(other).isNotSameAs(kept);
      assertThat(kept.isClosed()).as("the first connection's, let go of").isTrue();
      assertThat(answer(other, 41)).isEqualTo(42);

      other.close();
      PreparedStatement again = statements.on(second, "SELECT ? + 1");
      assertThat(again).isNotSameAs(other);
      assertThat(answer(again, 9)).isEqualTo(10);
    }
  }
}
