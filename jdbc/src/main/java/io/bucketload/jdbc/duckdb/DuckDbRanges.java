package io.bucketload.jdbc.duckdb;

import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.RowLimit;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DuckDB's ranges of dates (32-bit days: 5877642 BC to 5881580 AD) and timestamps (64-bit
 * microseconds: 290309 BC to 294247 AD), narrower than Java's: a value outside them is a reject,
 * where writing it would wrap around into another date.
 */
final class DuckDbRanges {
  private DuckDbRanges() {}

  static final LocalDate FIRST_DATE = LocalDate.of(-5_877_641, 6, 25);
  static final LocalDate LAST_DATE = LocalDate.of(5_881_580, 7, 10);
  static final LocalDateTime FIRST_TIMESTAMP = LocalDateTime.of(-290_308, 12, 22, 0, 0);
  static final LocalDateTime LAST_TIMESTAMP =
      LocalDateTime.of(294_247, 1, 10, 4, 0, 54, 775_806_000);

  /** The limit of a plan: none when it has no date or timestamp column. */
  static RowLimit of(LoadPlan plan) {
    List<Integer> dates = new ArrayList<>();
    List<Integer> timestamps = new ArrayList<>();
    for (int i = 0; i < plan.columns().size(); i++) {
      ColumnType type = plan.columns().get(i).type();
      if (type == ColumnType.DATE) {
        dates.add(i);
      } else if (type == ColumnType.TIMESTAMP) {
        timestamps.add(i);
      }
    }
    if (dates.isEmpty() && timestamps.isEmpty()) {
      return RowLimit.NONE;
    }
    int[] dateColumns = dates.stream().mapToInt(Integer::intValue).toArray();
    int[] timestampColumns = timestamps.stream().mapToInt(Integer::intValue).toArray();
    return row -> {
      for (int i : dateColumns) {
        if (row[i] instanceof LocalDate date
            && (date.isBefore(FIRST_DATE) || date.isAfter(LAST_DATE))) {
          return Optional.of(
              new RowLimit.Violation(
                  plan.columns().get(i).name(),
                  "out of range for a DuckDB date (5877642 BC to 5881580 AD): " + date));
        }
      }
      for (int i : timestampColumns) {
        if (row[i] instanceof LocalDateTime timestamp
            && (timestamp.isBefore(FIRST_TIMESTAMP) || timestamp.isAfter(LAST_TIMESTAMP))) {
          return Optional.of(
              new RowLimit.Violation(
                  plan.columns().get(i).name(),
                  "out of range for a DuckDB timestamp (290309 BC to 294247 AD): " + timestamp));
        }
      }
      return Optional.empty();
    };
  }
}
