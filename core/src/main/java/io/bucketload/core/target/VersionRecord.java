package io.bucketload.core.target;

import io.bucketload.core.source.FileVersion;
import java.util.Objects;
import java.util.Optional;

/**
 * What the ledger holds that decides a file version's fate under one pipeline: the latest load of
 * the file (of any version), and the last failure of this version on its data.
 *
 * <p>Versions are told apart by history, not by set membership: a version is loaded when it is the
 * file's latest load. Content that goes back to an earlier version (A, then B, then A again) is a
 * new load, since the table holds B.
 *
 * @param version the version looked up
 * @param latestLoad the file's most recent successful load, whatever its version
 * @param lastDataFailure this version's most recent failure on its data
 */
public record VersionRecord(
    FileVersion version, Optional<LedgerEntry> latestLoad, Optional<LedgerEntry> lastDataFailure) {
  /** Checks the fields. */
  public VersionRecord {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(latestLoad, "latestLoad");
    Objects.requireNonNull(lastDataFailure, "lastDataFailure");
  }

  /** A version the ledger knows nothing of. */
  public static VersionRecord none(FileVersion version) {
    return new VersionRecord(version, Optional.empty(), Optional.empty());
  }

  /**
   * The version's final outcome, if it has one: the file's latest load when it is of this version
   * (a load wins over a failure recorded after it, e.g. by a concurrent attempt), else this
   * version's last data failure.
   */
  public Optional<LedgerEntry> finalOutcome() {
    Optional<LedgerEntry> current = currentLoad();
    return current.isPresent() ? current : lastDataFailure;
  }

  /** The file's latest load, when it is of this version: loading it again would load it twice. */
  public Optional<LedgerEntry> currentLoad() {
    return latestLoad.filter(load -> load.file().checksum().equals(version.checksum()));
  }

  /**
   * The run whose load of the file a new load supersedes: the latest load's run, or the empty text
   * for the file's first load. Two loads that supersede the same run conflict, so a file version
   * loads once however many runs race for it.
   */
  public String supersedes() {
    return latestLoad.map(LedgerEntry::runId).orElse("");
  }
}
