package io.bucketload.core.run;

import io.bucketload.core.error.Fault;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one file in a run: one type per outcome, each carrying what it needs. Whether an
 * outcome is {@link #isFinal() final} decides what a trigger does with the event that named the
 * file: final outcomes are acknowledged, the others released for redelivery.
 */
public sealed interface FileOutcome {
  /** The status shown in reports. */
  FileStatus status();

  /**
   * Whether the file needs no further attempt for this version (loaded, already loaded, validated,
   * failed on its data or refused by configuration); false for waiting and system failures.
   */
  boolean isFinal();

  /** Whose fault the failure is, for failures. */
  default Optional<Fault> fault() {
    return Optional.empty();
  }

  /** Why the file did not load, for failures. */
  default Optional<String> error() {
    return Optional.empty();
  }

  /** Why nothing was done, for skipped and waiting files. */
  default Optional<String> note() {
    return Optional.empty();
  }

  /**
   * The run whose failure this one repeats, already reported: a data failure answered from the
   * ledger without reading the file again, or a system failure told of when its outage began. Not
   * news for notifications and alerts; empty for everything else.
   */
  default Optional<String> repeats() {
    return Optional.empty();
  }

  /**
   * The rows were committed.
   *
   * @param counts what the load did to the table
   * @param exports the export files written with the unit of work this file belongs to
   */
  record Loaded(LoadCounts counts, List<String> exports) implements FileOutcome {
    /** Checks and copies the fields. */
    public Loaded {
      Objects.requireNonNull(counts, "counts");
      exports = List.copyOf(exports);
    }

    @Override
    public FileStatus status() {
      return FileStatus.LOADED;
    }

    @Override
    public boolean isFinal() {
      return true;
    }
  }

  /**
   * A dry run found the file loadable.
   *
   * @param rowsAccepted the rows that would be loaded
   */
  record Valid(long rowsAccepted) implements FileOutcome {
    @Override
    public FileStatus status() {
      return FileStatus.VALID;
    }

    @Override
    public boolean isFinal() {
      return true;
    }
  }

  /**
   * This version was already loaded; nothing was done.
   *
   * @param earlier the load that committed it
   */
  record Skipped(LedgerEntry earlier) implements FileOutcome {
    /** Checks the field. */
    public Skipped {
      Objects.requireNonNull(earlier, "earlier");
    }

    @Override
    public FileStatus status() {
      return FileStatus.SKIPPED;
    }

    @Override
    public boolean isFinal() {
      return true;
    }

    @Override
    public Optional<String> note() {
      return Optional.of(
          "already loaded at "
              + earlier.finishedAt()
              + " (run "
              + earlier.runId()
              + ", "
              + earlier.counts().loaded()
              + (earlier.counts().loaded() == 1 ? " row loaded)" : " rows loaded)"));
    }
  }

  /**
   * Nothing was done yet: the rest of its file set has not arrived, or another worker is loading
   * it. A later run (or redelivery) loads or skips it.
   *
   * @param reason why, for people
   */
  record Waiting(String reason) implements FileOutcome {
    /** Checks the field. */
    public Waiting {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public FileStatus status() {
      return FileStatus.WAITING;
    }

    @Override
    public boolean isFinal() {
      return false;
    }

    @Override
    public Optional<String> note() {
      return Optional.of(reason);
    }
  }

  /**
   * The file failed on its data (malformed, a missing key column, over its reject limit, refused by
   * the target): final for this version under this pipeline definition. Nothing was loaded.
   *
   * @param reason why, naming the file and, where it applies, the line and column
   * @param earlier the earlier attempt whose failure this run repeated without trying again, when
   *     the file was not retried
   */
  record FailedOnData(String reason, Optional<LedgerEntry> earlier) implements FileOutcome {
    /** Checks the fields. */
    public FailedOnData {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(earlier, "earlier");
    }

    @Override
    public FileStatus status() {
      return FileStatus.FAILED;
    }

    @Override
    public boolean isFinal() {
      return true;
    }

    @Override
    public Optional<Fault> fault() {
      return Optional.of(Fault.DATA);
    }

    @Override
    public Optional<String> error() {
      return Optional.of(reason);
    }

    @Override
    public Optional<String> repeats() {
      return earlier.map(LedgerEntry::runId);
    }
  }

  /**
   * The system failed (target down, network, throttling beyond the retry budget): nothing was
   * loaded, and a later attempt may succeed.
   *
   * @param reason why
   * @param toldIn the earlier run of this process whose notifications told of this version failing
   *     on the system, when this run repeats that failure in the same outage (not news again);
   *     empty for a failure not told yet
   */
  record FailedOnSystem(String reason, Optional<String> toldIn) implements FileOutcome {
    /** Checks the fields. */
    public FailedOnSystem {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(toldIn, "toldIn");
    }

    /** A system failure not told of before. */
    public FailedOnSystem(String reason) {
      this(reason, Optional.empty());
    }

    @Override
    public FileStatus status() {
      return FileStatus.FAILED;
    }

    @Override
    public boolean isFinal() {
      return false;
    }

    @Override
    public Optional<Fault> fault() {
      return Optional.of(Fault.SYSTEM);
    }

    @Override
    public Optional<String> error() {
      return Optional.of(reason);
    }

    @Override
    public Optional<String> repeats() {
      return toldIn;
    }
  }

  /**
   * The file could not be attempted as the pipeline or the command line stands: it does not exist,
   * or matches no input or several. Trying again without a change will not help.
   *
   * @param reason why
   */
  record Refused(String reason) implements FileOutcome {
    /** Checks the field. */
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public FileStatus status() {
      return FileStatus.FAILED;
    }

    @Override
    public boolean isFinal() {
      return true;
    }

    @Override
    public Optional<Fault> fault() {
      return Optional.of(Fault.CONFIG);
    }

    @Override
    public Optional<String> error() {
      return Optional.of(reason);
    }
  }
}
