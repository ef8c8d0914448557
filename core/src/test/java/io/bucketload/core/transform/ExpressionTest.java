package io.bucketload.core.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.schema.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Row expressions, case by case: an expression over one row and what it gives. */
class ExpressionTest {
  /**
   * The row every case reads: US, 100 cases, 7 deaths, ratio 0.07, 2026-03-01, no name, no visits,
   * never seen.
   */
  private static final Map<String, Expression.Operand> COLUMNS =
      Map.of(
          "country", operand(ColumnType.STRING, 0),
          "cases", operand(ColumnType.LONG, 1),
          "deaths", operand(ColumnType.LONG, 2),
          "ratio", operand(ColumnType.DECIMAL, 3),
          "date", operand(ColumnType.DATE, 4),
          "name", operand(ColumnType.STRING, 5),
          "visits", operand(ColumnType.INT, 6),
          "seen", operand(ColumnType.TIMESTAMP, 7),
          "Country/Region", operand(ColumnType.STRING, 0),
          "big", operand(ColumnType.DOUBLE, 8));

  private static final Object[] ROW = {
    "US", 100L, 7L, new BigDecimal("0.07"), LocalDate.of(2026, 3, 1), null, null, null, 1e300
  };

  private static Expression.Operand operand(ColumnType type, int index) {
    return new Expression.Operand(type, (row, line, file) -> row[index]);
  }

  private static Expression parse(String text) {
    return Expression.parse(text, name -> Optional.ofNullable(COLUMNS.get(name)));
  }

  @ParameterizedTest(name = "{0} gives {1}")
  @CsvSource(
      delimiter = '#',
      quoteCharacter = '`',
      textBlock =
          """
          country = 'US'                               # true
          country != 'US'                              # false
          country <> 'FR'                              # true
          "Country/Region" = 'US'                      # true
          cases > 50 and deaths < 10                   # true
          cases > 500 or deaths = 7                    # true
          not (cases > 50)                             # false
          country in ('US', 'CA')                      # true
          country not in ('US', 'CA')                  # false
          name is null                                 # true
          name is not null                             # false
          name = 'x'                                   # NULL
          name = 'x' or cases > 1                      # true
          name = 'x' and cases > 1                     # NULL
          date >= '2026-01-01'                         # true
          year(date) = 2026 and month(date) = 3        # true
          ratio > 0.05                                 # true
          cases + deaths                               # 107
          cases - deaths * 2                           # 86
          (cases - deaths) * 2                         # 186
          -deaths                                      # -7
          cases / 8                                    # 12.5
          ratio * 100                                  # 7.0000000000
          country || '-' || cases                      # US-100
          lower(country) || upper('x')                 # usX
          trim('  a b  ')                              # a b
          length(country)                              # 2
          day(date)                                    # 1
          coalesce(name, country)                      # US
          name || 'x'                                  # NULL
          'it''s'                                      # it's
          """)
  void evaluates(String text, String expected) {
    Object value = parse(text).eval(ROW, 1, null);
    assertThat(
            value == null
                ? "NULL"
                : value instanceof BigDecimal d ? d.toPlainString() : value.toString())
        .isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void coalesceGivesOneTypeWhicheverValueItTakes() {
    Expression widened = parse("coalesce(visits, 0)");
    assertThat(widened.type()).isEqualTo(ColumnType.LONG);
    assertThat(widened.eval(ROW, 1, null)).isEqualTo(0L);
    Object[] withVisits = ROW.clone();
    withVisits[6] = 5;
    assertThat(widened.eval(withVisits, 1, null)).isEqualTo(5L);

    Expression decimal = parse("coalesce(null, cases, ratio)");
    assertThat(decimal.type()).isEqualTo(ColumnType.DECIMAL);
    assertThat(decimal.eval(ROW, 1, null)).isEqualTo(BigDecimal.valueOf(100));

    Expression dated = parse("coalesce(null, '2026-01-02', date)");
    assertThat(dated.type()).isEqualTo(ColumnType.DATE);
    assertThat(dated.eval(ROW, 1, null)).isEqualTo(LocalDate.of(2026, 1, 2));

    assertThat(parse("coalesce(name, null)").eval(ROW, 1, null)).isNull();

    assertThat(parse("coalesce(seen, '2026-01-02 03:04:05')").eval(ROW, 1, null))
        .isEqualTo(java.time.LocalDateTime.of(2026, 1, 2, 3, 4, 5));
    assertThat(parse("coalesce(seen, '2026-01-02')").eval(ROW, 1, null))
        .isEqualTo(java.time.LocalDateTime.of(2026, 1, 2, 0, 0));
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @CsvSource(
      delimiter = '#',
      quoteCharacter = '`',
      textBlock =
          """
          population > 5                   # no column 'population' at this step
          country + 1                      # '+' takes numbers, not string and long (join text with ||)
          cases = 'US'                     # cannot compare long with string (=)
          year(country)                    # year() takes a date or a timestamp, not string
          cases > 1 and                    # expected a value
          cases >                          # expected a value
          upper(country, 1)                # upper() takes one value, found 2
          median(cases)                    # unknown function median()
          country = 'US                    # missing closing '
          cases and deaths                 # 'and' takes conditions, not long
          cases > 1 )                      # unexpected ')'
          coalesce(cases, country)         # coalesce() takes values of one type, found long and string
          coalesce(date, cases)            # coalesce() takes values of one type, found date and long
          coalesce(name, date)             # coalesce() takes values of one type, found string and date
          coalesce(date, '2026-13-01')     # coalesce(): '2026-13-01' is not a date
          """)
  void refusesWithAMessage(String text, String message) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("of '" + text.strip() + "'");
  }

  @ParameterizedTest(name = "{0} is of type {1}")
  @CsvSource(
      delimiter = '#',
      quoteCharacter = '`',
      textBlock =
          """
          cases + deaths    # LONG
          cases / 2         # DOUBLE
          ratio + 1         # DECIMAL
          country || 'x'    # STRING
          cases > 1         # BOOLEAN
          year(date)        # LONG
          """)
  void hasTheTypeOfItsValues(String text, ColumnType type) {
    assertThat(parse(text).type()).isEqualTo(type);
  }

  @org.junit.jupiter.api.Test
  void aFilterKeepsOnlyTrueRows() {
    Expression filter = parse("name = 'x' or cases > 1000");
    assertThat(filter.test(ROW, 1, null)).isFalse();
    assertThat(parse("cases > 1").test(ROW, 1, null)).isTrue();
  }

  @org.junit.jupiter.api.Test
  void aDoubleThatOverflowsFailsTheExpressionAsALongDoes() {
    // A double column refuses 1e999 in a file; an expression must not make one either.
    assertThatThrownBy(() -> parse("big * big").eval(ROW, 1, null))
        .isInstanceOf(ArithmeticException.class)
        .hasMessage("double overflow");
    assertThatThrownBy(() -> parse("0 - big * big").eval(ROW, 1, null))
        .isInstanceOf(ArithmeticException.class);
    assertThat(parse("big / 0").eval(ROW, 1, null)).as("division by zero is NULL").isNull();
    assertThat(parse("big + big").eval(ROW, 1, null)).isEqualTo(2e300);
  }
}
