package io.bucketload.core.spec;

import java.util.Objects;

/**
 * SQL written in a pipeline, inline or read from a {@code .sql} file.
 *
 * @param sql one or more statements
 * @param origin where it was written, for messages, e.g. {@code pipeline.yaml line 40} or {@code
 *     analytics.sql}
 */
public record SqlStep(String sql, String origin) {
  /** The origin of SQL given on the command line ({@code bucketload query}). */
  public static final String COMMAND_LINE = "the command line";

  /** Checks the fields. */
  public SqlStep {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(origin, "origin");
  }
}
