package io.bucketload.core.target;

import java.util.OptionalLong;

/**
 * What a committed load did to the table. Counts a target cannot tell are empty.
 *
 * @param loaded rows written (after deduplication of repeated keys)
 * @param inserted rows that were new
 * @param updated rows that existed and changed
 * @param unchanged rows that existed and were identical (or, for {@code insert_new}, left
 *     untouched)
 * @param deleted rows removed ({@code replace}, {@code sync})
 * @param skipped rows the table itself set aside without an error, not counted as loaded (a
 *     PostgreSQL trigger that returns no row)
 */
public record LoadCounts(
    long loaded,
    OptionalLong inserted,
    OptionalLong updated,
    OptionalLong unchanged,
    OptionalLong deleted,
    long skipped) {
  /** Counts of a load whose table set no row aside. */
  public LoadCounts(
      long loaded,
      OptionalLong inserted,
      OptionalLong updated,
      OptionalLong unchanged,
      OptionalLong deleted) {
    this(loaded, inserted, updated, unchanged, deleted, 0);
  }

  /** Counts of a load that wrote nothing. */
  public static LoadCounts none() {
    return new LoadCounts(
        0, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
  }

  /** Counts of a load whose target tells only how many rows it wrote. */
  public static LoadCounts written(long loaded) {
    return new LoadCounts(
        loaded,
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.empty());
  }

  /** Counts of a load whose target tells every one. */
  public static LoadCounts exact(
      long loaded, long inserted, long updated, long unchanged, long deleted) {
    return new LoadCounts(
        loaded,
        OptionalLong.of(inserted),
        OptionalLong.of(updated),
        OptionalLong.of(unchanged),
        OptionalLong.of(deleted));
  }
}
