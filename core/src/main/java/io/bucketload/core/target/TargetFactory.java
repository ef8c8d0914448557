package io.bucketload.core.target;

import io.bucketload.core.spec.Settings;
import io.bucketload.core.spec.TargetSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Opens targets of one {@code target.type}. Adapter modules register implementations as {@link
 * java.util.ServiceLoader} services. Implementations are stateless and thread-safe.
 */
public interface TargetFactory {
  /** The {@code target.type} this factory serves, e.g. {@code duckdb}. */
  String type();

  /**
   * Checks the whole target section and every mode the pipeline loads with, without connecting:
   * what the target cannot do fails here, before any file is read.
   *
   * @param target the {@code target} section
   * @param modes the modes of the pipeline's inputs (never empty)
   * @throws io.bucketload.core.error.ConfigException naming a bad setting or an unsupported mode
   */
  void check(TargetSpec target, Set<LoadMode> modes);

  /**
   * Whether the target runs SQL, so that a pipeline may declare {@code after_load} statements and
   * {@code exports}: then its transactions offer {@link LoadTransaction#sql()}.
   */
  default boolean runsSql() {
    return false;
  }

  /**
   * The limit targets of this type put on single rows of a load, known without connecting: what
   * {@link Target#rowLimit} of an opened target checks, and what a dry run ({@code validate})
   * checks too, so that it rejects exactly the rows a load would. {@link RowLimit#NONE} by default.
   *
   * @throws io.bucketload.core.error.DataException when the plan's key cannot be stored at all
   */
  default RowLimit rowLimit(LoadPlan plan) {
    return RowLimit.NONE;
  }

  /**
   * Whether the target may already hold a ledger, answered without creating anything: false only
   * for an embedded database file that does not exist yet, which reading the history must not
   * create.
   */
  default boolean exists(Settings settings) {
    return true;
  }

  /**
   * The pipeline's latest attempts as of the last commit, read without opening the target: what
   * {@code runs} shows while another process holds a target that allows one process at a time (an
   * embedded database file). Empty when the target keeps no such copy.
   *
   * @throws io.bucketload.core.error.TargetException when the copy exists but cannot be read
   */
  default Optional<List<LedgerEntry>> committedHistory(
      Settings settings, String pipeline, int limit) {
    return Optional.empty();
  }

  /**
   * A writer of the {@link RowStage}s this target's loads open, for the processes that read parts
   * of a file while another loads it (a cluster's executors); empty when the target opens none. It
   * connects when it writes, not before.
   *
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   */
  default Optional<StageWriter> stageWriter(Settings settings) {
    return Optional.empty();
  }

  /**
   * Opens a target.
   *
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   * @throws io.bucketload.core.error.TargetException when the target cannot be reached
   */
  Target open(Settings settings);
}
