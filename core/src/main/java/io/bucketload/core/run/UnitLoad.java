package io.bucketload.core.run;

import io.bucketload.core.error.Fault;
import io.bucketload.core.source.FileChangedException;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.source.OutputPaths;
import io.bucketload.core.source.OutputStore;
import io.bucketload.core.spec.ExportSpec;
import io.bucketload.core.spec.QuerySpec;
import io.bucketload.core.spec.SqlStep;
import io.bucketload.core.target.DirectReadDeclined;
import io.bucketload.core.target.FileClaimedException;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.SqlSession;
import io.bucketload.core.target.TableLoad;
import io.bucketload.core.target.VersionRecord;
import io.bucketload.core.transform.FileContext;
import io.bucketload.core.workspace.Workspace;
import io.bucketload.core.workspace.Workspaces;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of work: a file, or the files of one file set, loaded in one transaction together with
 * the pipeline's after-load SQL and exports; all or nothing. In order:
 *
 * <ol>
 *   <li>each file is identified and looked up in the ledger: a version that is the file's latest
 *       load is skipped, a version that failed on its data under this pipeline definition fails
 *       again without being read (unless {@link RunOptions#retryFailed()}); a forced run ({@link
 *       RunOptions#force()}) loads them all;
 *   <li>on a target whose writes are visible before the commit, each remaining file is read and
 *       validated in full first (a remote file's rows kept on local disk, so that it is fetched
 *       once);
 *   <li>the files are loaded in one transaction, the SQL runs, the exports are written, and the
 *       ledger entries commit with the rows.
 * </ol>
 *
 * The first failure ends the unit: its file gets the failure's outcome, the unit's other files are
 * reported as not loaded because of it. Not thread-safe; one-shot.
 */
final class UnitLoad {
  private static final Logger LOG = LoggerFactory.getLogger(UnitLoad.class);

  private final RunContext run;
  private final Optional<String> label;
  private final List<FileTask> members;
  private final Map<FileTask, FileReport> reports = new LinkedHashMap<>();
  private final Map<FileTask, FileVersion> versions = new LinkedHashMap<>();

  /**
   * Files being checksummed while they load (see {@link #identifyWhileLoading}): their entry in
   * {@link #versions} holds the size and {@link #UNIDENTIFIED} until the checksum is taken, before
   * the commit ({@link #identified}) or when the unit fails ({@link #changedWhileLoading}).
   */
  private final Map<FileTask, Alongside<FileVersion>> checksums = new LinkedHashMap<>();

  private final Map<FileTask, FileReading> readings = new LinkedHashMap<>();
  private final Map<FileTask, String> forced = new LinkedHashMap<>();
  private final Map<FileTask, Spooled> spools = new LinkedHashMap<>();

  /**
   * The files of a sql step's set whose version is already their latest load, read again because
   * another file of the set changed, with that load.
   */
  private final Map<FileTask, LedgerEntry> unchanged = new LinkedHashMap<>();

  /** What the unit's sql step did, told with each file. */
  private final Map<FileTask, String> queryNotes = new LinkedHashMap<>();

  /**
   * @param label what tells this unit's exports apart from those of other units of the run (a
   *     file's stem, a set's name), if anything needs to
   */
  UnitLoad(RunContext run, Optional<String> label, List<FileTask> members) {
    this.run = run;
    this.label = label;
    this.members = List.copyOf(members);
  }

  /** A failure attributed to one file of the unit, or to the unit as a whole. */
  private static final class UnitFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Optional<FileTask> culprit;

    UnitFailure(Optional<FileTask> culprit, Throwable cause) {
      super(cause);
      this.culprit = culprit;
    }
  }

  /** Loads the unit; returns one report per file, in the members' order. */
  List<FileReport> load() {
    members.forEach(member -> run.listener().fileStarted(member.object()));
    try {
      loadMembers();
    } finally {
      spools.values().forEach(spooled -> spooled.spool().close());
    }
    List<FileReport> ordered = new ArrayList<>();
    for (FileTask member : members) {
      FileReport report = reports.get(member);
      run.listener().fileFinished(report);
      ordered.add(report);
    }
    return ordered;
  }

  private void loadMembers() {
    Optional<String> unavailable =
        run.dryRun() ? Optional.empty() : run.target().unavailable().map(run.spec()::mask);
    if (unavailable.isPresent()) {
      for (FileTask member : members) {
        report(member, new FileOutcome.Waiting(unavailable.get()), Optional.empty(), List.of());
      }
      return;
    }
    try {
      List<FileTask.Identified> pending = identifyAll();
      if (!pending.isEmpty() && run.spec().query().isPresent()) {
        loadQuery(pending);
      } else if (!pending.isEmpty()) {
        if (!run.dryRun() && run.target().writesBeforeCommit()) {
          validateAll(pending);
        }
        commitAll(pending, this::loadFiles);
      }
    } catch (UnitFailure failure) {
      fail(failure.culprit, failure.getCause());
    }
  }

  /**
   * Identifies every file and decides those the ledger has a final outcome for; returns the rest. A
   * file that failed before on its data keeps the whole unit from loading.
   */
  private List<FileTask.Identified> identifyAll() throws UnitFailure {
    List<FileTask.Identified> pending = new ArrayList<>();
    Optional<FileTask> failedBefore = Optional.empty();
    Optional<LedgerEntry> culpritEntry = Optional.empty();
    // A sql step's result depends on every input: the set loads again when any of them changed.
    boolean wholeSet = run.spec().query().isPresent();
    for (FileTask member : members) {
      FileVersion version;
      VersionRecord record;
      try {
        Optional<FileVersion> alongside = identifyWhileLoading(member);
        version = alongside.isPresent() ? alongside.get() : run.source().identify(member.object());
        versions.put(member, version);
        record =
            run.dryRun()
                ? VersionRecord.none(version)
                : run.target().ledger().lookup(run.spec().name(), version);
        if (alongside.isPresent()) {
          // No entry of this size: no failure of this version, whatever the placeholder matches.
          record = new VersionRecord(version, record.latestLoad(), Optional.empty());
        }
      } catch (IOException | RuntimeException e) {
        throw new UnitFailure(Optional.of(member), e);
      }
      Optional<LedgerEntry> current = record.currentLoad();
      Optional<LedgerEntry> failed = record.lastDataFailure();
      if (run.forces(member.object().key()) && !run.dryRun()) {
        forced.put(member, forcedNote(current, failed));
        pending.add(new FileTask.Identified(member, version, record.supersedes()));
      } else if (current.isPresent() && wholeSet) {
        unchanged.put(member, current.get());
        pending.add(new FileTask.Identified(member, version, record.supersedes()));
      } else if (current.isPresent()) {
        report(member, new FileOutcome.Skipped(current.get()), Optional.empty(), List.of());
      } else if (failed.isPresent() && !retries(failed.get())) {
        LedgerEntry earlier = failed.get();
        String reason =
            withoutGoneRejects(earlier.error().orElse("failed on its data"))
                + " [failed before at "
                + earlier.finishedAt()
                + " (run "
                + earlier.runId()
                + "); not tried again until the file or the pipeline changes, or with"
                + " bucketload run --retry-failed or --force]";
        report(
            member,
            new FileOutcome.FailedOnData(reason, Optional.of(earlier)),
            Optional.empty(),
            List.of());
        failedBefore = Optional.of(member);
        culpritEntry = Optional.of(earlier);
      } else {
        pending.add(new FileTask.Identified(member, version, record.supersedes()));
      }
    }
    if (!unchanged.isEmpty() && unchanged.size() == pending.size()) {
      unchanged.forEach(
          (member, current) ->
              report(member, new FileOutcome.Skipped(current), Optional.empty(), List.of()));
      return List.of();
    }
    if (!unchanged.isEmpty() && failedBefore.isEmpty()) {
      String changed =
          pending.stream()
              .map(FileTask.Identified::task)
              .filter(member -> !unchanged.containsKey(member))
              .map(member -> member.object().key())
              .collect(java.util.stream.Collectors.joining(", "));
      for (FileTask member : unchanged.keySet()) {
        forced.putIfAbsent(
            member,
            "this version was loaded before (run "
                + unchanged.get(member).runId()
                + "); read again for the sql step because "
                + changed
                + " of its file set changed");
      }
    }
    if (failedBefore.isPresent() && !pending.isEmpty()) {
      String culprit = failedBefore.get().object().key();
      for (FileTask.Identified file : pending) {
        if (unchanged.containsKey(file.task())) {
          report(
              file.task(),
              new FileOutcome.Skipped(unchanged.get(file.task())),
              Optional.empty(),
              List.of());
          continue;
        }
        report(
            file.task(),
            // Told with the culprit's earlier failure: a redelivery of the set is not news.
            new FileOutcome.FailedOnData(
                "not loaded: " + culprit + " of the same file set failed on its data before",
                culpritEntry),
            Optional.empty(),
            List.of());
      }
      return List.of();
    }
    return pending;
  }

  private static final java.util.regex.Pattern REJECTS_AT =
      java.util.regex.Pattern.compile(" \\(rejects: (/[^)]*)\\)");

  /**
   * An earlier failure's message, told again, without the local rejects file it names when that
   * file is gone (a later load of another version of the file replaced or removed it).
   */
  private static String withoutGoneRejects(String message) {
    java.util.regex.Matcher rejects = REJECTS_AT.matcher(message);
    if (rejects.find() && !java.nio.file.Files.exists(java.nio.file.Path.of(rejects.group(1)))) {
      return message.substring(0, rejects.start())
          + " (its rejects file has since been replaced or removed)"
          + message.substring(rejects.end());
    }
    return message;
  }

  /** Files smaller than this are checksummed before they load: a thread would cost more. */
  static final long CHECKSUM_ALONGSIDE_FROM_BYTES = 1L << 20;

  /**
   * Starts checksumming a file beside its load, when the source would read the whole file to
   * identify it and the ledger proves that no version of its size was seen: the file is new to the
   * ledger whatever its checksum, which only its ledger entry needs. A dry run asks no ledger, so
   * its files are checksummed beside their reading whenever the source reads them to identify them
   * (a validate of a 79 MB file: 0.27 s instead of 0.32 s in one JVM). The version returned holds
   * the size and {@link #UNIDENTIFIED} until {@link #identified} takes the checksum. Empty
   * otherwise (the file is then identified before it loads).
   */
  private Optional<FileVersion> identifyWhileLoading(FileTask member) throws IOException {
    java.util.OptionalLong size = run.source().sizeWhenIdentifyReads(member.object());
    if (size.isEmpty()
        || size.getAsLong() < CHECKSUM_ALONGSIDE_FROM_BYTES
        || (!run.dryRun()
            && run.target()
                .ledger()
                .mayKnow(run.spec().name(), member.object().key(), size.getAsLong()))) {
      return Optional.empty();
    }
    // What the file is as its reader is about to open it: the checksum beside the read fails if
    // it meets another.
    run.source().pin(member.object());
    checksums.put(
        member,
        Alongside.start("bucketload-checksum", () -> run.source().identify(member.object())));
    return Optional.of(new FileVersion(member.object().key(), size.getAsLong(), UNIDENTIFIED));
  }

  /**
   * Takes the checksums of the files checksummed while they loaded, before their ledger entries are
   * written: a file whose size changed since changed while it loaded. Then confirms that each file
   * is still the version identified ({@link io.bucketload.core.source.Source#confirmUnchanged}).
   */
  private void identified(List<FileTask> files) throws UnitFailure {
    for (FileTask member : files) {
      Alongside<FileVersion> checksum = checksums.remove(member);
      if (checksum == null) {
        continue;
      }
      FileVersion version;
      try {
        version = checksum.result("checksumming the file");
      } catch (IOException | RuntimeException e) {
        throw new UnitFailure(Optional.of(member), e);
      }
      long size = versions.get(member).size();
      if (version.size() != size) {
        throw new UnitFailure(
            Optional.of(member),
            new FileChangedException(
                member.object().key(),
                "the file changed while it was read ("
                    + size
                    + " bytes when it was listed, "
                    + version.size()
                    + " when it was checksummed)"));
      }
      versions.put(member, version);
    }
    for (FileTask member : files) {
      try {
        run.source().confirmUnchanged(member.object());
      } catch (IOException | RuntimeException e) {
        throw new UnitFailure(Optional.of(member), e);
      }
    }
  }

  /**
   * Takes the checksums still being computed when the unit fails, so that every entry and report
   * carries its file's checksum: a file that changed meanwhile (its checksum of another size, or
   * none) did not fail on its data, whatever else failed, and a file gone meanwhile is no longer
   * identified. Empty when every checksum was taken.
   */
  private Optional<UnitFailure> changedWhileLoading() {
    try {
      identified(new ArrayList<>(checksums.keySet()));
      return Optional.empty();
    } catch (UnitFailure e) {
      if (e.getCause() instanceof java.nio.file.NoSuchFileException && e.culprit.isPresent()) {
        versions.remove(e.culprit.get());
      }
      checksums.clear();
      return Optional.of(e);
    }
  }

  /** What a forced load's report says it overrode. */
  private static String forcedNote(Optional<LedgerEntry> current, Optional<LedgerEntry> failed) {
    if (current.isPresent()) {
      return "forced: this version was already the file's latest load (run "
          + current.get().runId()
          + "); loaded again";
    }
    if (failed.isPresent()) {
      return "forced: this version failed on its data before (run "
          + failed.get().runId()
          + "); tried again";
    }
    return "forced: the ledger had no final outcome for this version; loaded as usual";
  }

  /** Whether a version whose last final outcome was a data failure is tried again. */
  private boolean retries(LedgerEntry failed) {
    return run.options().retryFailed() || !failed.definition().equals(run.spec().digest());
  }

  /**
   * Reads each file in full without writing, so that a file that would fail writes nothing; a file
   * of a remote source is kept as converted rows in a spool on local disk (up to {@link
   * #SPOOL_LIMIT_BYTES}) for the writes, so that it is fetched once.
   */
  private void validateAll(List<FileTask.Identified> pending) throws UnitFailure {
    for (FileTask.Identified file : pending) {
      FileReading check = new FileReading(run, file, true);
      readings.put(file.task(), check);
      RowSpool spool = null;
      try {
        if (!run.source().remote()) {
          // A local file read again costs less than a spool written and read (measured).
          check.into(new DiscardingTransaction(chunk -> {}, run.target()::check));
          continue;
        }
        spool = new RowSpool(SPOOL_LIMIT_BYTES);
        DiscardingTransaction spooling = new DiscardingTransaction(spool::add, run.target()::check);
        check.into(spooling);
        spool.finish();
        if (spool.complete() && spooling.plan().isPresent()) {
          spools.put(file.task(), new Spooled(spooling.plan().get(), spool));
          spool = null;
        }
      } catch (IOException | RuntimeException e) {
        throw new UnitFailure(Optional.of(file.task()), e);
      } finally {
        if (spool != null) {
          spool.close();
        }
      }
    }
  }

  /** A file's converted rows on local disk, with the plan they were made for. */
  private record Spooled(LoadPlan plan, RowSpool spool) {}

  /** The most a file's spool takes on local disk; a larger file is read from its source again. */
  static final long SPOOL_LIMIT_BYTES = 1L << 30;

  /** Writes a file from its spool into the transaction. */
  private LoadCounts replay(FileTask task, Spooled spooled, LoadTransaction transaction) {
    TableLoad load = transaction.load(spooled.plan());
    try (ChunkWriter writer = new ChunkWriter(load, task.object().name())) {
      spooled.spool().read(FileReading.CHUNK_ROWS, writer::submit);
      writer.finish();
    }
    LoadCounts counts = load.finish();
    readings.get(task).noteRepeatedKeys(counts);
    return counts;
  }

  /** What a unit writes inside its transaction; returns each file's counts. */
  @FunctionalInterface
  private interface UnitWrites {
    Map<FileTask, LoadCounts> write(List<FileTask.Identified> pending, LoadTransaction transaction)
        throws UnitFailure, IOException;
  }

  /** Streams each file into its table. */
  private Map<FileTask, LoadCounts> loadFiles(
      List<FileTask.Identified> pending, LoadTransaction transaction) throws UnitFailure {
    Map<FileTask, LoadCounts> counts = new LinkedHashMap<>();
    for (FileTask.Identified file : pending) {
      Spooled spooled = spools.get(file.task());
      if (spooled != null) {
        try {
          counts.put(file.task(), replay(file.task(), spooled, transaction));
        } catch (RuntimeException e) {
          throw new UnitFailure(Optional.of(file.task()), e);
        }
        continue;
      }
      FileReading reading = new FileReading(run, file, run.dryRun(), false, directReads);
      readings.put(file.task(), reading);
      try {
        counts.put(file.task(), reading.into(transaction));
      } catch (DirectReadDeclined e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new UnitFailure(Optional.of(file.task()), e);
      }
    }
    return counts;
  }

  /**
   * Loads a unit through the pipeline's {@code sql} step: every file is read and validated into the
   * step's workspace as the table of its input, the query runs there, and its whole result is
   * loaded into the target in one transaction with the ledger entries of every file of the set. The
   * result's counts are the last file's; the others load none of their own.
   */
  private void loadQuery(List<FileTask.Identified> pending) throws UnitFailure {
    QuerySpec query = run.spec().query().orElseThrow();
    Workspace workspace;
    try {
      workspace = Workspaces.factory().open(query.workspace());
    } catch (RuntimeException e) {
      throw new UnitFailure(Optional.empty(), e);
    }
    try (workspace) {
      WorkspaceTransaction inputs = new WorkspaceTransaction(workspace);
      Map<FileTask, Long> accepted = new LinkedHashMap<>();
      for (FileTask.Identified file : pending) {
        FileReading reading = new FileReading(run, file, false, true);
        readings.put(file.task(), reading);
        try {
          accepted.put(file.task(), reading.into(inputs).loaded());
        } catch (IOException | RuntimeException e) {
          throw new UnitFailure(Optional.of(file.task()), e);
        }
      }
      FileTask.Identified last = pending.get(pending.size() - 1);
      QueryRows rows;
      LoadPlan resultPlan;
      try {
        LOG.info("[{}] sql step: {}", run.spec().name(), query.sql().origin());
        FileTask task = last.task();
        long queryStarted = System.nanoTime();
        io.bucketload.core.workspace.QueryResult result = workspace.run(query.sql());
        LOG.info(
            "[{}] sql step: {} row(s) in {} ms",
            run.spec().name(),
            result.rows(),
            (System.nanoTime() - queryStarted) / 1_000_000);
        rows =
            new QueryRows(
                query,
                result,
                new FileContext(
                    task.object().key(),
                    task.object().name(),
                    LocalDateTime.ofInstant(task.started(), ZoneOffset.UTC)),
                run.spec().target().allowEmpty());
        resultPlan = resultPlan(last, rows);
        if (!run.dryRun() && run.target().writesBeforeCommit()) {
          // Nothing is written before every row of the result is known to load.
          rows.into(
              new DiscardingTransaction().load(resultPlan), run.target().rowLimit(resultPlan), "");
        }
      } catch (RuntimeException e) {
        throw new UnitFailure(Optional.empty(), e);
      }
      commitAll(
          pending,
          (files, transaction) -> {
            // What an attempt the database rolled back noted is not this attempt's.
            queryNotes.clear();
            Map<FileTask, LoadCounts> counts = new LinkedHashMap<>();
            for (FileTask.Identified file : files) {
              if (file != last) {
                // Claims the file's version for this run, with no rows of its own.
                counts.put(file.task(), transaction.load(claimOnly(file, query.table())).finish());
              }
            }
            LoadCounts loaded =
                rows.into(
                    transaction.load(resultPlan),
                    run.target().rowLimit(resultPlan),
                    "sql step result");
            counts.put(last.task(), loaded);
            String inputsRead =
                files.stream()
                    .map(
                        file ->
                            file.task().input().table()
                                + " "
                                + accepted.get(file.task())
                                + " row(s)")
                    .collect(java.util.stream.Collectors.joining(", "));
            String result = last.task().object().key();
            if (!unchanged.isEmpty() && query.mode() == LoadMode.APPEND) {
              queryNotes.put(
                  last.task(),
                  "mode append added the whole result again, rows from the unchanged files"
                      + " included; use insert_new, upsert or sync when files of the set change"
                      + " in place");
            }
            for (FileTask.Identified file : files) {
              queryNotes.merge(
                  file.task(),
                  file == last
                      ? "the sql step ("
                          + query.sql().origin()
                          + ") over "
                          + inputsRead
                          + " gave "
                          + rows.resultRows()
                          + " row(s)"
                          + (rows.filtered() > 0
                              ? ", " + rows.filtered() + " filtered after it"
                              : "")
                          + (files.size() > 1 ? "; the load's counts are " + result + "'s" : "")
                      : "read into the sql step's workspace as table "
                          + file.task().input().table()
                          + "; the load's counts are "
                          + result
                          + "'s",
                  (warning, note) -> note + ". " + warning);
            }
            return counts;
          });
    }
  }

  /** What the result loads as: the last file's version, into the step's table. */
  private LoadPlan resultPlan(FileTask.Identified last, QueryRows rows) {
    QuerySpec query = run.spec().query().orElseThrow();
    return new LoadPlan(
        run.spec().name(),
        run.runId(),
        last.version(),
        query.table(),
        query.mode(),
        rows.columns(),
        query.key(),
        // The columns come from the pipeline's query: a table that does not fit is its problem.
        true,
        last.supersedes());
  }

  /** A load of no rows that claims a file's version in the target's ledger. */
  private LoadPlan claimOnly(FileTask.Identified file, String table) {
    return new LoadPlan(
        run.spec().name(),
        run.runId(),
        file.version(),
        table,
        run.spec().query().orElseThrow().mode(),
        List.of(),
        List.of(),
        false,
        file.supersedes());
  }

  /**
   * How many times a unit is loaded, at most, when the database rolls its transaction back to break
   * a deadlock or a serialization conflict with another transaction ({@link TransactionConflicts}).
   */
  static final int CONFLICT_ATTEMPTS = 3;

  /**
   * Loads the unit in one transaction; again, from its first file, when the database rolled that
   * transaction back to break a deadlock or a conflict with another one (two file sets that write
   * the same tables in another order): nothing of the attempt stayed, and the other transaction,
   * which went on, has usually committed by the time this one runs again.
   */
  private void commitAll(List<FileTask.Identified> pending, UnitWrites writes) throws UnitFailure {
    for (int attempt = 1; ; attempt++) {
      try {
        commitReadingAgainIfDeclined(pending, writes);
        return;
      } catch (UnitFailure e) {
        if (attempt == CONFLICT_ATTEMPTS
            || rowsMayStay
            || !TransactionConflicts.brokeOff(e.getCause())) {
          throw e;
        }
        LOG.warn(
            "[{}] {}: the database rolled the load back to break a deadlock or a conflict with"
                + " another transaction ({}); nothing of it was kept; loading again (attempt {}"
                + " of {})",
            run.spec().name(),
            OneLine.of(
                String.join(
                    ", ", pending.stream().map(file -> file.task().object().key()).toList())),
            OneLine.of(run.spec().mask(String.valueOf(e.getCause().getMessage()))),
            attempt + 1,
            CONFLICT_ATTEMPTS);
        conflictNote =
            Optional.of(
                "loaded at attempt "
                    + (attempt + 1)
                    + ": the database rolled the one before back to break a deadlock or a"
                    + " conflict with another transaction");
      }
    }
  }

  /**
   * What each file's report says when its unit loaded again after a conflict ({@link #commitAll}).
   */
  private Optional<String> conflictNote = Optional.empty();

  private void commitReadingAgainIfDeclined(List<FileTask.Identified> pending, UnitWrites writes)
      throws UnitFailure {
    try {
      commitOnce(pending, writes);
    } catch (DirectReadDeclined e) {
      LOG.info(
          "[{}] {}: the target's own reader did not load it (a value in another form than the"
              + " plain one, or a record its reader refused); loading again through bucketload's"
              + " reader",
          run.spec().name(),
          OneLine.of(
              String.join(
                  ", ", pending.stream().map(file -> file.task().object().key()).toList())));
      LOG.debug("[{}] the target's reader: {}", run.spec().name(), e.getMessage());
      directReads = false;
      commitOnce(pending, writes);
    }
  }

  /**
   * Whether the target may read files itself ({@link
   * io.bucketload.core.target.TableLoad#readDirectly}); false after it declined once in this unit.
   */
  private boolean directReads = true;

  /**
   * Whether the target may have written rows of this unit that stay when it fails: true once a
   * target that {@link io.bucketload.core.target.Target#writesBeforeCommit() writes before its
   * commit} began the unit's writes.
   */
  private boolean rowsMayStay;

  private void commitOnce(List<FileTask.Identified> pending, UnitWrites writes) throws UnitFailure {
    rowsMayStay |= !run.dryRun() && run.target().writesBeforeCommit();
    Map<FileTask, LoadCounts> counts;
    List<String> exported = new ArrayList<>();
    List<String> attempted = new ArrayList<>();
    try (LoadTransaction transaction =
        run.dryRun() ? new DiscardingTransaction() : run.target().begin()) {
      counts = writes.write(pending, transaction);
      if (!run.dryRun()) {
        Optional<SqlSession> sql = transaction.sql();
        if (sql.isPresent()) {
          afterLoad(sql.get());
          exports(sql.get(), attempted, exported);
        }
      }
      identified(pending.stream().map(FileTask.Identified::task).toList());
      transaction.commit(
          pending.stream()
              .map(
                  file ->
                      entry(
                          file.task(),
                          FileStatus.LOADED,
                          counts.get(file.task()),
                          Optional.empty(),
                          Optional.empty()))
              .toList());
    } catch (UnitFailure e) {
      removeExports(attempted);
      throw e;
    } catch (DirectReadDeclined e) {
      removeExports(attempted);
      throw e;
    } catch (IOException | RuntimeException e) {
      removeExports(attempted);
      throw new UnitFailure(Optional.empty(), e);
    }
    for (FileTask.Identified file : pending) {
      FileTask member = file.task();
      List<String> notes = new ArrayList<>();
      Optional.ofNullable(forced.get(member)).ifPresent(notes::add);
      Optional.ofNullable(queryNotes.get(member)).ifPresent(notes::add);
      conflictNote.ifPresent(notes::add);
      readings.get(member).rejects().ifPresent(rejects -> removeStaleRejects(rejects, notes));
      FileOutcome outcome =
          run.dryRun()
              ? new FileOutcome.Valid(counts.get(member).loaded())
              : new FileOutcome.Loaded(
                  counts.get(member),
                  member == pending.get(pending.size() - 1).task() ? exported : List.of());
      report(member, outcome, Optional.of(readings.get(member)), notes);
    }
  }

  private void afterLoad(SqlSession sql) {
    for (SqlStep step : run.spec().afterLoad()) {
      LOG.info("[{}] after_load: {}", run.spec().name(), step.origin());
      sql.execute(step);
    }
  }

  /**
   * Writes the exports; {@code attempted} gets each path before it is written, so that a failure
   * removes exactly what this unit wrote.
   */
  private void exports(SqlSession sql, List<String> attempted, List<String> exported)
      throws IOException {
    for (ExportSpec export : run.spec().exports()) {
      String fileName =
          export.name() + "-" + run.runId() + label.map(text -> "-" + text).orElse("") + ".csv";
      String path = OutputPaths.beside(members.get(0).object(), export.folder(), fileName);
      attempted.add(path);
      OutputStore.Output output = run.outputs().create(path);
      long rows;
      try (OutputStream stream = output.stream()) {
        rows = sql.export(export.query(), stream);
      }
      exported.add(output.location());
      LOG.info("[{}] exported {} row(s) to {}", run.spec().name(), rows, output.location());
    }
  }

  /** Removes the exports this unit wrote for a transaction that did not commit. */
  private void removeExports(List<String> attempted) {
    for (String path : attempted) {
      try {
        run.outputs().delete(path);
      } catch (IOException | RuntimeException e) {
        LOG.warn("[{}] could not remove {}: {}", run.spec().name(), path, Failures.describe(e));
      }
    }
  }

  /** After a commit, the rejects of an earlier version of a file that now has none are stale. */
  private void removeStaleRejects(RejectsWriter rejects, List<String> notes) {
    try {
      if (rejects.removeStale()) {
        notes.add("removed the rejects file of an earlier version of this file");
      }
    } catch (IOException e) {
      notes.add("the rejects file of an earlier version could not be removed: " + e.getMessage());
    }
  }

  /**
   * Reports every file not yet reported: the culprit with the failure's outcome, the others as not
   * loaded because of it (a failure of the unit as a whole, such as its after-load SQL, is every
   * file's outcome). Records the failures in the ledger, final only for a file that failed on its
   * own data, and keeps a copy of such a file.
   */
  private void fail(Optional<FileTask> culprit, Throwable cause) {
    Optional<UnitFailure> changed = changedWhileLoading();
    if (changed.isPresent()) {
      culprit = changed.get().culprit;
      cause = changed.get().getCause();
    }
    if (rowsMayStay && cause instanceof FileChangedException change) {
      cause = change.afterWrites();
    }
    String what = culprit.map(member -> member.object().key()).orElse(run.source().describe());
    // A file that is gone when it is identified was removed after the run listed it (moved away
    // by another process): not a failure, and nothing of it to load.
    boolean gone =
        cause instanceof java.nio.file.NoSuchFileException
            && run.source().listsWhatExists()
            && culprit.isPresent()
            && !versions.containsKey(culprit.get());
    FileOutcome outcome =
        gone
            ? new FileOutcome.Waiting(
                run.spec()
                    .mask(
                        "not loaded: " + what + " was removed from the source after it was listed"))
            : Failures.outcome(cause, what, run.spec());
    LOG.info(
        "[{}] {}: {}",
        run.spec().name(),
        outcome.status().reportName(),
        outcome.error().or(outcome::note).orElse(""));
    if (cause instanceof FileClaimedException) {
      skipLoadedMeanwhile();
    }
    for (FileTask member : members) {
      if (reports.containsKey(member)) {
        continue;
      }
      if (unchanged.containsKey(member)) {
        // Its version stays the loaded one: only the set's new load failed.
        report(
            member,
            new FileOutcome.Skipped(unchanged.get(member)),
            Optional.ofNullable(readings.get(member)),
            List.of(
                "not loaded again with its file set: "
                    + outcome.error().or(outcome::note).orElse(outcome.status().reportName())));
        continue;
      }
      boolean own = culprit.isEmpty() || culprit.get() == member;
      boolean culpritItself = culprit.isPresent() && culprit.get() == member;
      FileOutcome mine = own ? outcome : bystander(outcome, culprit.get());
      List<String> notes = new ArrayList<>();
      if (!run.dryRun() && culpritItself && outcome instanceof FileOutcome.FailedOnData) {
        keepFailedCopy(member, notes);
      }
      // A system failure before the file's version was known (its server down, say) is kept too,
      // under no version, so that the history shows it.
      boolean kept =
          versions.containsKey(member) || (own && mine instanceof FileOutcome.FailedOnSystem);
      if (!run.dryRun() && kept && recorded(mine)) {
        // A data failure is final for the file whose data it was: also for the one file of a unit
        // whose after-load SQL or export refused its rows, the same bytes failing the same way.
        // A sql step's result is the set's data: its data failure is final for the set's files.
        // A file that did not load because another file of its set failed, or because its set's
        // after-load SQL failed (a changed file of the set must be able to load it again), is
        // kept without a fault.
        boolean unitData =
            culprit.isEmpty() && (members.size() == 1 || run.spec().query().isPresent());
        Optional<Fault> fault =
            culpritItself || unitData || mine instanceof FileOutcome.FailedOnSystem
                ? mine.fault()
                : Optional.empty();
        try {
          run.target()
              .ledger()
              .recordFailure(
                  entry(member, FileStatus.FAILED, LoadCounts.none(), mine.error(), fault));
        } catch (RuntimeException e) {
          notes.add(
              "the failure could not be recorded in the ledger: "
                  + run.spec().mask(Failures.describe(e)));
        }
      }
      if (rowsMayStay && recorded(mine) && !(cause instanceof FileClaimedException)) {
        notes.add(FileReport.WRITES_STAY);
      }
      report(member, mine, Optional.ofNullable(readings.get(member)), notes);
    }
  }

  /**
   * After another run's claim or commit won: the files whose version that run loaded are skipped,
   * saying so; the others wait for a later attempt.
   */
  private void skipLoadedMeanwhile() {
    for (FileTask member : members) {
      FileVersion version = versions.get(member);
      if (reports.containsKey(member) || version == null) {
        continue;
      }
      try {
        Optional<LedgerEntry> current =
            run.target().ledger().lookup(run.spec().name(), version).currentLoad();
        boolean seenBefore =
            unchanged.containsKey(member)
                && current.isPresent()
                && current.get().runId().equals(unchanged.get(member).runId());
        if (current.isPresent() && !current.get().runId().equals(run.runId()) && !seenBefore) {
          report(
              member,
              new FileOutcome.Skipped(current.get()),
              Optional.empty(),
              List.of("another run (" + current.get().runId() + ") loaded it at the same time"));
        }
      } catch (RuntimeException e) {
        LOG.warn("[{}] {}: {}", run.spec().name(), version.key(), Failures.describe(e));
      }
    }
  }

  /**
   * Whether an outcome is a failure the ledger keeps (not waiting, not refused by configuration).
   */
  private static boolean recorded(FileOutcome outcome) {
    return outcome instanceof FileOutcome.FailedOnData
        || outcome instanceof FileOutcome.FailedOnSystem;
  }

  /** The outcome of a file that did not load because another file of its unit failed. */
  private static FileOutcome bystander(FileOutcome outcome, FileTask culprit) {
    String because = "not loaded: " + culprit.object().key() + " failed in the same file set";
    if (outcome instanceof FileOutcome.Waiting) {
      return outcome;
    }
    if (outcome instanceof FileOutcome.FailedOnData) {
      return new FileOutcome.FailedOnData(because, Optional.empty());
    }
    if (outcome instanceof FileOutcome.Refused) {
      return new FileOutcome.Refused(because);
    }
    return new FileOutcome.FailedOnSystem(because);
  }

  /** Copies a file that failed on its data to {@code source.failed}, when set. */
  private void keepFailedCopy(FileTask member, List<String> notes) {
    Optional<String> folder = run.spec().source().failedFolder();
    if (folder.isEmpty()) {
      return;
    }
    String path = OutputPaths.beside(member.object(), folder.get(), member.object().name());
    try {
      notes.add(
          "a copy of the file is at " + run.outputs().copy(run.source(), member.object(), path));
    } catch (IOException | RuntimeException e) {
      notes.add("the file could not be copied to " + folder.get() + "/: " + Failures.describe(e));
    }
  }

  /** The version of a failure that came before the file's version was known. */
  static final String UNIDENTIFIED = "unidentified";

  private LedgerEntry entry(
      FileTask member,
      FileStatus status,
      LoadCounts counts,
      Optional<String> error,
      Optional<Fault> fault) {
    FileStats stats =
        Optional.ofNullable(readings.get(member))
            .map(FileReading::stats)
            .orElse(FileStats.none(member.elapsedMs()));
    FileVersion version = versions.get(member);
    return new LedgerEntry(
        run.spec().name(),
        run.runId(),
        version != null
            ? version
            : new FileVersion(member.object().key(), member.object().size(), UNIDENTIFIED),
        status,
        member.started(),
        run.clock().instant(),
        stats.rowsRead(),
        stats.rowsRejected(),
        counts,
        error,
        fault,
        run.spec().digest(),
        run.options().trigger());
  }

  private void report(
      FileTask member, FileOutcome outcome, Optional<FileReading> reading, List<String> notes) {
    List<String> warnings = new ArrayList<>();
    reading.ifPresent(read -> warnings.addAll(read.warnings()));
    warnings.addAll(notes);
    reports.put(
        member,
        new FileReport(
            member.object().key(),
            Optional.ofNullable(versions.get(member)).map(FileVersion::checksum),
            outcome,
            reading.map(FileReading::stats).orElse(FileStats.none(member.elapsedMs())),
            warnings));
  }
}
