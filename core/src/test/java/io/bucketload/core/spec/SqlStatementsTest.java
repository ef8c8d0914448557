package io.bucketload.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlStatementsTest {
  @ParameterizedTest(name = "{0} statement(s): {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0 | '   '
          0 | -- only a comment
          1 | SELECT 1
          1 | 'SELECT 1;  ;  '
          1 | SELECT ';' AS semicolon
          1 | SELECT 'it''s; fine'
          1 | SELECT 1 AS "a;b"
          1 | SELECT 1 /* one; two */
          1 | SELECT $$a; b$$, $tag$c; d$tag$
          2 | SELECT 1; SELECT 2
          2 | 'SELECT 1;
                SELECT 2;'
          3 | CREATE TABLE t (a INT); INSERT INTO t VALUES (1); SELECT * FROM t
          """)
  void countsTopLevelStatements(int expected, String sql) {
    assertThat(SqlStatements.count(sql)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{1}: {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          COMMIT                                         | COMMIT
          'UPDATE t SET a = 1; commit;'                  | COMMIT
          '-- first\n  Begin transaction; SELECT 1'     | BEGIN
          START TRANSACTION                              | START
          SELECT 1; ROLLBACK                             | ROLLBACK
          'SELECT ''commit'' AS word; SELECT 2 AS "end"' | NONE
          'UPDATE t SET ended = true'                    | NONE
          'CREATE TABLE commits (a INT)'                 | NONE
          """)
  void findsStatementsThatControlTheTransaction(String sql, String expected) {
    assertThat(SqlStatements.transactionControl(sql.replace("\\n", "\n")))
        .isEqualTo(
            expected.equals("NONE") ? java.util.Optional.empty() : java.util.Optional.of(expected));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''      | SELECT 1
          ''      | '/* c */ (SELECT 1) UNION (SELECT 2)'
          ''      | with x as (select 1) select * from x
          ''      | FROM t
          ''      | EXPLAIN SELECT 1
          ''      | DESCRIBE t
          COPY    | EXPLAIN ANALYZE COPY t TO 'x.csv'
          COPY    | /* out */ copy t to 'x.csv'
          EXPORT  | EXPORT DATABASE 'dir'
          ATTACH  | ATTACH 'other.duckdb' AS o
          DELETE  | DELETE FROM t
          ''      | '(/* c */ SELECT 1)'
          ''      | '(\n-- a note\nSELECT 1)'
          ''      | EXPLAIN (FORMAT JSON, ANALYZE) SELECT 1
          ''      | explain analyze verbose select 1
          ''      | EXPLAIN (SELECT 1)
          ''      | TABLE t
          DELETE  | EXPLAIN (ANALYZE) DELETE FROM t
          ANALYZE | ANALYZE t
          """)
  void namesTheFirstWordOfAStatementThatIsNotAQuery(String word, String sql) {
    assertThat(SqlStatements.notAQuery(sql))
        .isEqualTo(word.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(word));
  }
}
